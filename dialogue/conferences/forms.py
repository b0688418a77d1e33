"""Forms of the conference screens. Emptiness, lengths, the official's membership and the
order of the dates are checked by `services.py` too, with the same words; the browser's
limits are only a help. Dates are entered in the site's time zone (Astana)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    QUESTION_MAX,
    TOPIC_MAX,
    RejectionReason,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _datetime_field(label, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Moderators publish it before the official sees it. Your name is shown with it "
            "as on the rest of the site."
        ),
    )


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.public_name


class ConferenceForm(forms.Form):
    """Scheduling and editing. `official` lists the agency's members; during the live
    window only the topic, the description and the end may change (the view disables the
    rest)."""

    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the conference is about and what questions are welcome."),
    )
    official = OfficialChoiceField(
        label=_("Official"),
        queryset=User.objects.none(),
        help_text=_("The member of the agency who answers the questions."),
    )
    starts_at = _datetime_field(_("Starts at"), _("Astana time."))
    ends_at = _datetime_field(_("Ends at"), _("Astana time. At most 12 hours after the start."))

    def __init__(self, *args, agency, live: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = (
            User.objects.filter(memberships__agency=agency, is_active=True, deleted_at__isnull=True)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        if live:
            for name in ("official", "starts_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("The conference has started: this cannot change.")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the conference's page and sent to everyone who asked a question."),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Paragraphs, lists, links, *emphasis* and **bold** may be used."),
    )


class ModerationForm(forms.Form):
    """The moderation queue: publish or reject the ticked questions (the reason and note
    are for rejecting)."""

    ACTIONS = (("publish", _("Publish")), ("reject", _("Reject")))

    questions = forms.TypedMultipleChoiceField(
        label=_("Questions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason for rejecting"),
        choices=[("", _("Choose a reason")), *RejectionReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the authors"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; shown to the author with the reason."),
    )

    def __init__(self, *args, question_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(pk, str(pk)) for pk in question_ids]
        self.fields["questions"].error_messages["required"] = _("Tick at least one question.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Choose a reason from the list."))
        return cleaned


class ConvertForm(forms.Form):
    questions = forms.TypedMultipleChoiceField(
        label=_("Questions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, question_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(pk, str(pk)) for pk in question_ids]
        self.fields["questions"].error_messages["required"] = _("Tick at least one question.")
