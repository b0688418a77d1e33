"""The forms of the moderators' and addressees' workspace (`workspace.py`): moderation
decisions, hiding, the bulk invalidation of signatures with its preview, the abuse
report's window, and the addressee's response.

The forms only shape what was typed; the services decide (and say no with a message or a
field error, which the views put back on these forms)."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ashyq.uploads import MultipleFileField
from tracking import calendar

from .models import (
    NOTE_MAX,
    RESPONSE_MAX,
    InvalidationKind,
    RejectionReason,
    ResponseDecision,
)


class WorkspaceForm(forms.Form):
    """No colon after labels; ids prefixed per form (`auto_id`), since the moderation
    page shows several forms at once."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- Moderation ------------------------------------------------------------------------------


def reason_label(reason: RejectionReason) -> str:
    """The reason as offered to moderators, saying when it is not published."""
    if reason.public:
        return reason.label
    return _("%(reason)s (not published)") % {"reason": reason.label}


class RejectForm(WorkspaceForm):
    reason = forms.TypedChoiceField(
        label=gettext_lazy("Reason for rejection"), coerce=int, empty_value=None
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the author (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Explain the decision in your own words. The note is shown wherever the reason is."
        ),
    )

    def __init__(self, *args, reasons: list[RejectionReason] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if reasons is None:
            reasons = list(RejectionReason.objects.filter(is_active=True))
        self.reasons = {reason.pk: reason for reason in reasons}
        excluded = [(r.pk, reason_label(r)) for r in reasons if r.excluded_topic]
        other = [(r.pk, reason_label(r)) for r in reasons if not r.excluded_topic]
        choices: list = [("", _("Choose a reason"))]
        if excluded:
            choices.append((_("Excluded topics (law On Public Control)"), excluded))
        if other:
            choices.append((_("Other reasons"), other))
        self.fields["reason"].choices = choices
        self.fields["reason"].help_text = _(
            "The author is told the reason. A public reason is shown with the petition; "
            "with a reason marked “not published” the petition stays visible only to its "
            "author and the moderators."
        )

    def clean_reason(self) -> RejectionReason:
        return self.reasons[self.cleaned_data["reason"]]


class HideForm(WorkspaceForm):
    reason = forms.ChoiceField(label=gettext_lazy("Reason for hiding"))
    note = forms.CharField(
        label=gettext_lazy("Moderator's note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        from moderation.models import HideReason

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose a reason")), *HideReason.choices]
        self.fields["reason"].help_text = _(
            "The petition's page then shows this reason instead of its text, and signing "
            "stops until it is restored."
        )


# --- Signatures ------------------------------------------------------------------------------


class AstanaDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read in Astana time (the platform's time zone), whatever
    the server's or the browser's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        return result.replace(tzinfo=None).replace(tzinfo=calendar.tz())

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(calendar.tz()).replace(tzinfo=None)
        return super().prepare_value(value)


class InvalidateForm(WorkspaceForm):
    """One rule for `services.signatures_invalidate`: an IP address, an email domain or a
    time range (a range may also narrow an IP or domain). `confirm` is set by the preview
    page's button: without it the view only counts."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Invalidate"),
        choices=InvalidationKind.choices,
        widget=forms.RadioSelect,
        initial=InvalidationKind.IP,
    )
    ip = forms.GenericIPAddressField(
        label=gettext_lazy("IP address"),
        required=False,
        help_text=gettext_lazy("For “by IP address”."),
    )
    email_domain = forms.CharField(
        label=gettext_lazy("Email domain"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("For “by email domain”, for example example.com."),
    )
    since = AstanaDateTimeField(
        label=gettext_lazy("Signed from (Astana time)"),
        required=False,
        help_text=gettext_lazy(
            "Required for “by time range”; optional with an IP address or a domain, to narrow it."
        ),
    )
    until = AstanaDateTimeField(
        label=gettext_lazy("Signed before (Astana time)"),
        required=False,
        help_text=gettext_lazy("The end itself is not included."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept with the invalidated signatures and in the audit trail. Required."
        ),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_email_domain(self) -> str:
        return (self.cleaned_data.get("email_domain") or "").strip().lower().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        since, until = cleaned.get("since"), cleaned.get("until")
        if kind == InvalidationKind.IP and not cleaned.get("ip") and "ip" not in self.errors:
            self.add_error("ip", _("Enter the IP address."))
        if kind == InvalidationKind.DOMAIN and not cleaned.get("email_domain"):
            self.add_error("email_domain", _("Enter the email domain."))
        if kind == InvalidationKind.TIME_RANGE:
            if since is None and "since" not in self.errors:
                self.add_error("since", _("Give the start of the time range."))
            if until is None and "until" not in self.errors:
                self.add_error("until", _("Give the end of the time range."))
        if since is not None and until is not None and until <= since:
            self.add_error("until", _("The range must end after it starts."))
        return cleaned

    def arguments(self) -> dict:
        """The keyword arguments of `services.signatures_invalidate` for this rule."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "ip": (data.get("ip") or "") if kind == InvalidationKind.IP else "",
            "email_domain": data["email_domain"] if kind == InvalidationKind.DOMAIN else "",
            "since": data.get("since"),
            "until": data.get("until"),
            "reason": data["reason"],
        }

    def match(self) -> Q:
        """The signatures the rule covers (as the service selects them), for the preview."""
        args = self.arguments()
        match = Q()
        if args["ip"]:
            match &= Q(ip=args["ip"])
        if args["email_domain"]:
            match &= Q(email_domain=args["email_domain"])
        if args["since"] is not None:
            match &= Q(created_at__gte=args["since"])
        if args["until"] is not None:
            match &= Q(created_at__lt=args["until"])
        return match


WINDOWS = (
    (1, gettext_lazy("Last hour")),
    (6, gettext_lazy("Last 6 hours")),
    (24, gettext_lazy("Last 24 hours")),
    (24 * 7, gettext_lazy("Last 7 days")),
)


class TrendsForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=gettext_lazy("Period"), coerce=int, choices=WINDOWS, required=False, empty_value=1
    )
    petition = forms.IntegerField(
        label=gettext_lazy("Petition number (optional)"), required=False, min_value=1
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "trends-%s")
        super().__init__(*args, **kwargs)

    def value(self, name: str):
        """The cleaned value, or the default when what was given is not valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name)
        return {"hours": 1}.get(name)


# --- Response ----------------------------------------------------------------------------------


class ResponseForm(WorkspaceForm):
    text = forms.CharField(
        label=gettext_lazy("Response"),
        max_length=RESPONSE_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("Published on the petition's page with your name."),
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("", gettext_lazy("Choose the decision")), *ResponseDecision.choices],
    )
    hearing_date = forms.DateField(
        label=gettext_lazy("Public hearing date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("If the petition will be heard in public, the day of the hearing."),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attach documents (optional)"))
