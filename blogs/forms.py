"""Forms of the public blog screens. They only shape and label the input: what may be
asked, rated or supported is decided by the services, whose refusals the views put back on
these forms next to the field they concern."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.regions import Region
from ashyq.uploads import MultipleFileField

from .models import QUESTION_TITLE_MAX, QuestionCategory, RatingVerdict
from .services import TEXT_MAX

SEARCH_TITLE_MAX = QUESTION_TITLE_MAX


class BlogFilterForm(forms.Form):
    """The blog list: by the kind of agency and, for local bodies, the region."""

    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Agency.Kind.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
        help_text=_("Local bodies only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="blog-filter-%s", **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Agency.Kind.CENTRAL and cleaned.get("region"):
            self.add_error("region", _("Only local bodies have a region."))
        return cleaned


class QuestionFilterForm(forms.Form):
    """A blog's question list: by where the answer stands and by category."""

    ANSWERED = "answered"
    AWAITING = "awaiting"
    OVERDUE = "overdue"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All questions")),
            (ANSWERED, _("Answered")),
            (AWAITING, _("Awaiting an answer")),
            (OVERDUE, _("Overdue")),
        ],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *QuestionCategory.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="question-filter-%s", **kwargs)


class QuestionForm(forms.Form):
    """The ask form. Emptiness and length are checked by `services.question_submit` too,
    with the same words; the browser limits are only a help."""

    title = forms.CharField(
        label=_("Your question in one sentence"),
        max_length=QUESTION_TITLE_MAX,
        help_text=_("Before sending, check whether it has already been answered."),
    )
    text = forms.CharField(
        label=_("Details"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where and when, and what you want to know."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=QuestionCategory.choices, initial=QuestionCategory.OTHER
    )
    name_hidden = forms.BooleanField(
        label=_("Hide my name from the public"),
        required=False,
        help_text=_("The agency still sees who asked; the public does not."),
    )
    attachments = MultipleFileField(label=_("Files (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="ask-%s", **kwargs)


class RatingForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your verdict on the answer"),
        choices=RatingVerdict.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your comment is not published."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="rating-%s", **kwargs)


class SimilarQuestionsForm(forms.Form):
    """The query of the ask form's suggestions (`views.similar_questions`): the title is
    what is searched. Long input is cut, not refused: it comes from a text box as the
    person types."""

    title = forms.CharField(required=False, strip=True)
    blog = forms.IntegerField(required=False, min_value=1)

    def clean_title(self) -> str:
        return self.cleaned_data["title"][:SEARCH_TITLE_MAX]
