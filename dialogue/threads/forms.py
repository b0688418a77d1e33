"""Forms of the thread screens. Emptiness and lengths are checked by `services.py` too,
with the same words; the browser limits are only a help."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.collation import localized_order
from accounts.models import Agency
from accounts.regions import Region
from ashyq.i18n import active_language
from tracking import calendar
from tracking.services import extension_cap_date, redirect_window_end

from .models import TEXT_MAX, TITLE_MAX, Thread, ThreadCategory, support_level
from .selectors import DEFAULT_SORT, SORTS

SORT_LABELS = {
    "newest": gettext_lazy("Newest"),
    "active": gettext_lazy("Most active"),
    "supported": gettext_lazy("Most supported"),
}


def active_agencies():
    """Active agencies, by name in the reader's language."""
    lang = active_language()
    return Agency.objects.filter(is_active=True).order_by(
        localized_order(f"name_{lang}", lang), "pk"
    )


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


def _grouped(agencies) -> list:
    """Central bodies, then local ones (optgroups), each in the reader's order."""
    groups = []
    for kind, label in Agency.Kind.choices:
        members = [(agency.pk, agency.name) for agency in agencies if agency.kind == kind]
        if members:
            groups.append((label, members))
    return groups


# --- The public list ------------------------------------------------------------------------


class ThreadFilterForm(forms.Form):
    """`?category=&region=&agency=<slug>&sort=`; every field optional."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    agency = AgencyField(
        label=gettext_lazy("Addressed to"),
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any agency"),
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, auto_id="filter-%s", **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *ThreadCategory.choices]
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]
        self.fields["agency"].queryset = active_agencies()
        self.fields["sort"].choices = [(value, SORT_LABELS[value]) for value in SORTS]

    def values(self) -> dict:
        """The selector's arguments; the defaults when the filter is not valid."""
        if not self.is_bound or not self.is_valid():
            return {"category": "", "region": "", "addressee": None, "sort": DEFAULT_SORT}
        data = self.cleaned_data
        return {
            "category": data["category"] or "",
            "region": data["region"] or "",
            "addressee": data["agency"],
            "sort": data["sort"] or DEFAULT_SORT,
        }

    def querystring(self) -> str:
        """The valid filter as a query string, for the pagination links."""
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode({name: self.data.get(name) for name in self.fields if self.data.get(name)})


# --- Starting a thread ------------------------------------------------------------------------


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=TITLE_MAX,
        help_text=gettext_lazy("One sentence that says what the discussion is about."),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "The situation, what you propose or ask, and why. Paragraphs, lists, links and "
            "*emphasis* work as in comments. It cannot be edited after publishing."
        ),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        help_text=gettext_lazy("Leave “Whole country” unless it concerns one region."),
    )
    addressee = AgencyField(
        label=gettext_lazy("Address it to an agency (optional)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not addressed to an agency"),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, auto_id="thread-%s", **kwargs)
        self.fields["category"].choices = [("", _("Choose a category")), *ThreadCategory.choices]
        self.fields["region"].choices = [("", _("Whole country")), *Region.choices]
        agencies = active_agencies()
        field = self.fields["addressee"]
        field.queryset = agencies
        field.choices = [("", field.empty_label), *_grouped(list(agencies))]
        level = support_level()
        field.help_text = ngettext(
            "If %(count)d person supports the discussion, the agency must reply officially "
            "within 15 working days.",
            "If %(count)d people support the discussion, the agency must reply officially "
            "within 15 working days.",
            level,
        ) % {"count": level}


# --- The agency's side --------------------------------------------------------------------------


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(
        label=gettext_lazy("New due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the extension (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the discussion page and sent to its followers."),
    )

    def __init__(self, *args, thread: Thread, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, auto_id="extend-%s", **kwargs)
        obligation = thread.obligation if thread.obligation_id else None
        if obligation is None:
            return
        field = self.fields["new_due_date"]
        current = calendar.local_date(obligation.due_at)
        cap = extension_cap_date(obligation)
        field.widget.attrs["min"] = (current + datetime.timedelta(days=1)).isoformat()
        if cap is not None:
            field.widget.attrs["max"] = cap.isoformat()
            field.help_text = _(
                "Now due on %(due)s. The deadline can be extended once, to %(cap)s at the latest."
            ) % {"due": date_format(current, "DATE_FORMAT"), "cap": date_format(cap, "DATE_FORMAT")}


class RedirectForm(forms.Form):
    to_agency = AgencyField(
        label=gettext_lazy("Send to the agency"),
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("Choose an agency"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the redirect (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The discussion's followers are told, with this reason."),
    )

    def __init__(self, *args, thread: Thread, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, auto_id="redirect-%s", **kwargs)
        field = self.fields["to_agency"]
        field.queryset = active_agencies().exclude(pk=thread.addressee_id)
        obligation = thread.obligation if thread.obligation_id else None
        window_end = redirect_window_end(obligation) if obligation is not None else None
        if window_end is not None:
            field.help_text = _(
                "Only when the matter is outside your agency's remit. It must be redirected "
                "by %(date)s; the new agency then has the full period to reply."
            ) % {"date": date_format(calendar.local_date(window_end), "DATE_FORMAT")}
