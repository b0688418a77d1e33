"""The search page's form: the words and the filters, all optional.

`?q=&kind=&kind=&agency=<id>&status=&from=YYYY-MM-DD&to=YYYY-MM-DD&page=`, the same
parameters as `/api/v1/search/`. A filter that does not validate is reported and left
out; the words are never lost.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import registry
from .services import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search form", "Search for"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.MultipleChoiceField(
        label=gettext_lazy("What"), required=False, widget=forms.CheckboxSelectMultiple
    )
    agency = forms.IntegerField(label=gettext_lazy("Agency"), required=False, min_value=1)
    status = forms.MultipleChoiceField(
        label=pgettext_lazy("search filter", "Status"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, auto_id="search-%s", **kwargs)
        self.fields["kind"].choices = list(registry.labels().items())
        self.fields["status"].choices = list(registry.status_labels().items())
        # Named as in the API; not Python identifiers, hence declared here.
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d"],
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", gettext_lazy("The end date is before the start date."))
            data.pop("from", None)  # neither end of a reversed range is used
        return data

    def arguments(self) -> dict:
        """`search()`'s keyword arguments from the fields that validated; an unbound form
        searches for nothing in particular (everything, newest first)."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "q": (data.get("q") or "")[:MAX_QUERY_CHARS],
            "kinds": data.get("kind") or None,
            "agency": data.get("agency"),
            "status": data.get("status") or None,
            "date_from": data.get("from"),
            "date_to": data.get("to"),
        }

    def querystring(self, **changes) -> str:
        """The current search as a query string (valid filters only), with `changes`
        applied: a value of None drops the parameter."""
        arguments = self.arguments()
        pairs: dict[str, list[str]] = {
            "q": [arguments["q"]] if arguments["q"] else [],
            "kind": list(arguments["kinds"] or []),
            "agency": [str(arguments["agency"])] if arguments["agency"] else [],
            "status": list(arguments["status"] or []),
            "from": [arguments["date_from"].isoformat()] if arguments["date_from"] else [],
            "to": [arguments["date_to"].isoformat()] if arguments["date_to"] else [],
        }
        for name, value in changes.items():
            if value is None:
                pairs[name] = []
            elif isinstance(value, list | tuple):
                pairs[name] = [str(item) for item in value]
            else:
                pairs[name] = [str(value)]
        return urlencode([(name, value) for name, values in pairs.items() for value in values])
