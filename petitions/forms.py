"""Forms of the public and author screens of petitions. Emptiness and lengths are checked
by `services.py` too, with the same words; the browser limits are only a help."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.regions import Region
from ashyq.uploads import MultipleFileField

from .models import (
    BACKGROUND_MAX,
    LISTED_STATES,
    NOTE_MAX,
    REQUEST_MAX,
    TITLE_MAX,
    PetitionAttachment,
    PetitionState,
    ResponseState,
    setting,
)
from .selectors import SORTS


def addressees():
    """The bodies a petition may be addressed to: active agencies but the platform operator."""
    return Agency.objects.filter(is_active=True).exclude(
        slug=setting("OPERATOR_AGENCY", "platform-operator")
    )


def _region_choices(empty_label):
    return [("", empty_label), *Region.choices]


# --- The public list ------------------------------------------------------------------------


SORT_LABELS = {
    "most_signed": _("Most signed"),
    "closing_soon": _("Closing soon"),
    "newest": _("Newest"),
}


class PetitionFilterForm(forms.Form):
    """`?state=&addressee=<slug>&region=&sort=`; every field optional."""

    state = forms.ChoiceField(label=_("State"), required=False)
    addressee = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All addressees"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="filter-%s", **kwargs)
        self.fields["state"].choices = [
            ("", _("All open and closed")),
            *[(state.value, state.label) for state in map(PetitionState, LISTED_STATES)],
            (ResponseState.RESPONDED.value, _("responded")),
            (PetitionState.REJECTED.value, PetitionState.REJECTED.label),
        ]
        self.fields["addressee"].queryset = addressees()
        self.fields["region"].choices = _region_choices(_("All regions"))
        self.fields["sort"].choices = [(value, SORT_LABELS[value]) for value in SORTS]

    def values(self) -> dict:
        """The selector's arguments; the defaults when the filter is not valid."""
        if not self.is_bound or not self.is_valid():
            return {"state": "", "addressee": None, "region": "", "sort": "most_signed"}
        data = self.cleaned_data
        return {
            "state": data["state"] or "",
            "addressee": data["addressee"],
            "region": data["region"] or "",
            "sort": data["sort"] or "most_signed",
        }

    def querystring(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode({name: self.data.get(name) for name in self.fields if self.data.get(name)})


# --- The author's forms ---------------------------------------------------------------------


class AddresseeField(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


class PetitionForm(forms.Form):
    """Create and edit a draft. The addressee list is grouped into central and local bodies,
    in the reader's language."""

    addressee = AddresseeField(
        label=_("Addressed to"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the body"),
        help_text=_(
            "The government, a ministry or committee, an akimat or a maslikhat that can do "
            "what the petition asks."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_(
            "One sentence saying what you want, for example “Build a crossing near school No. 12”."
        ),
    )
    request = forms.CharField(
        label=_("What the petition asks for"),
        max_length=REQUEST_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The concrete action you ask the addressee to take."),
    )
    background = forms.CharField(
        label=_("Background (optional)"),
        max_length=BACKGROUND_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Why it matters: facts, figures, what has been tried."),
    )
    region = forms.ChoiceField(
        label=_("Region (optional)"),
        required=False,
        help_text=_("Where the problem is, if it concerns one region."),
    )
    attachments = MultipleFileField(label=_("Files (optional)"))

    def __init__(self, *args, petition=None, **kwargs) -> None:
        super().__init__(*args, auto_id="petition-%s", **kwargs)
        agencies = sorted(addressees(), key=lambda agency: str(agency.name).casefold())
        field = self.fields["addressee"]
        field.queryset = addressees()
        groups = []
        for kind, label in Agency.Kind.choices:
            members = [(agency.pk, agency.name) for agency in agencies if agency.kind == kind]
            if members:
                groups.append((label, members))
        field.choices = [("", field.empty_label), *groups]
        self.fields["region"].choices = _region_choices(_("Not one region"))
        self.petition = petition
        if petition is not None:
            existing = PetitionAttachment.objects.filter(petition=petition).order_by("pk")
            if existing.exists():
                self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                    label=_("Remove these files"),
                    queryset=existing,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.fields["remove_attachments"].label_from_instance = lambda item: item.name


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw it (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="withdraw-%s", **kwargs)


class SimilarPetitionsForm(forms.Form):
    """The query of the start form's suggestions (`views.similar_petitions`): the title is
    what is searched. Long input is cut, not refused: it comes from a text box as the
    person types."""

    title = forms.CharField(required=False, strip=True)

    def clean_title(self) -> str:
        return self.cleaned_data["title"][:TITLE_MAX]
