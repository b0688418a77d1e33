from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from tracking import kinds

from .models import EVENT_LABELS, EVENTS


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name  # in the interface language


class WatchForm(forms.Form):
    """Add a watch: an agency and/or a kind of obligation, the events, an optional name.
    The rules (one of agency or kind, no duplicates) are the service's; this form only
    reads the input."""

    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any agency"),
    )
    kind = forms.ChoiceField(label=_("Kind of obligation"), required=False)
    events = forms.MultipleChoiceField(
        label=_("Tell me when"),
        choices=[(event, EVENT_LABELS[event]) for event in EVENTS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(EVENTS),
        error_messages={"required": _("Choose at least one event to be told of.")},
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: “Akimat of Almaty, petitions”."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *self.kind_choices()]
        agencies = self.fields["agency"].queryset
        self.fields["agency"].queryset = agencies.order_by(Agency.name.column())

    @staticmethod
    def kind_choices() -> list[tuple[str, str]]:
        return [(kind.key, kind.label) for kind in kinds.all_kinds()]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("agency") and not cleaned.get("kind"):
            raise forms.ValidationError(_("Choose an agency, a kind of obligation, or both."))
        return cleaned
