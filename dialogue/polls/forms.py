"""Forms of the poll screens. They parse what was typed; the rules (lengths, dates, option
counts, required answers, choice limits) are the services', whose `ValidationError`s
the views put back on these fields, so a form re-rendered with errors keeps every
answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.regions import Region

from .models import (
    ANSWER_TEXT_MAX,
    CANCEL_REASON_MAX,
    DESCRIPTION_MAX,
    POLL_LANGUAGES,
    QUESTION_MAX,
    TITLE_MAX,
    Audience,
    PollQuestion,
    QuestionKind,
    ResultsVisibility,
)
from .services import answer_field

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class PollFilterForm(forms.Form):
    """The list's agency filter (the phase is the tab)."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
        to_field_name="slug",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda agency: agency.name


class PollForm(forms.Form):
    """A poll's settings. `editable` names the fields that may still change (a published
    poll: the description and the closing time); the others are left out."""

    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the poll is for and what the agency will do with the results."),
    )
    language = forms.ChoiceField(
        label=_("Language of the poll"),
        choices=POLL_LANGUAGES,
        initial="kk",
        help_text=_("The language the questions are written in."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Astana time."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Astana time. The poll takes answers until this moment."),
    )
    audience = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Audience.choices,
        initial=Audience.VERIFIED,
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Everyone, whatever their region")), *Region.choices],
        required=False,
        help_text=_("Limit the poll to the people of one region (their profile's region)."),
    )
    results_visibility = forms.ChoiceField(
        label=_("Results are shown"),
        choices=ResultsVisibility.choices,
        initial=ResultsVisibility.AFTER_VOTING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, agencies=None, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
            choices = list(agencies)
            if len(choices) == 1:
                self.fields["agency"].initial = choices[0].pk
        if editable is not None:
            for name in list(self.fields):
                if name not in editable:
                    del self.fields[name]

    def values(self) -> dict:
        """The cleaned values the services take (the agency apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "agency"}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        initial=QuestionKind.SINGLE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Choice questions: one option per line, 2 to 20. Free text: leave empty."),
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"),
        required=False,
        min_value=1,
        help_text=_("Multiple choice only. Leave empty to allow every option."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    @classmethod
    def for_question(cls, question: PollQuestion, *args, **kwargs) -> QuestionForm:
        initial = {
            "kind": question.kind,
            "text": question.text,
            "options": "\n".join(option.text for option in question.options.all()),
            "max_choices": question.max_choices,
            "required": question.required,
        }
        return cls(*args, initial=initial, **kwargs)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = (data.get("options") or "").splitlines()
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the poll cancelled?"),
        max_length=CANCEL_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the poll's page."),
    )


class TakePollForm(forms.Form):
    """One field per question, named `q<pk>`: radio buttons, checkboxes or a text area.
    Fields are optional here: "required", the choice limits and the text length are
    checked by `services.poll_submit`, whose errors land on the same fields."""

    def __init__(self, *args, questions: list[PollQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            name = answer_field(question)
            choices = [(str(option.pk), option.text) for option in question.options.all()]
            if question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.CharField(
                    required=False,
                    max_length=ANSWER_TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            field.label = question.text
            field.question = question
            field.number = number
            field.help_text = self._help(question)
            self.fields[name] = field

    @staticmethod
    def _help(question: PollQuestion) -> str:
        from django.utils.translation import gettext, ngettext

        parts = []
        if question.kind == QuestionKind.MULTIPLE:
            if question.max_choices:
                parts.append(
                    ngettext(
                        "Choose up to %(count)d answer.",
                        "Choose up to %(count)d answers.",
                        question.max_choices,
                    )
                    % {"count": question.max_choices}
                )
            else:
                parts.append(gettext("Choose all that apply."))
        elif question.kind == QuestionKind.TEXT:
            parts.append(
                gettext("At most %(limit)d characters. Only the agency reads the answers.")
                % {"limit": ANSWER_TEXT_MAX}
            )
        if not question.required:
            parts.append(gettext("Optional."))
        return " ".join(parts)

    def answers(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name in self.fields}
