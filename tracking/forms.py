from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .deadlines import calculator_rules

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(
        label=_("Start date"),
        help_text=_("The day the question was published or the period began."),
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Enter the start date."),
            "invalid": _("Enter a real date, for example 2026-03-18 or 18.03.2026."),
        },
    )
    rule = forms.ChoiceField(
        label=_("Period"),
        widget=forms.RadioSelect,
        initial="wd15",
        error_messages={"required": _("Choose a period."), "invalid_choice": _("Choose a period.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rules = {key: rule for key, rule, _purpose in calculator_rules()}
        self.fields["rule"].choices = [
            (key, f"{rule.label} — {purpose}") for key, rule, purpose in calculator_rules()
        ]

    def clean_start(self) -> datetime.date:
        start = self.cleaned_data["start"]
        if not EARLIEST <= start <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s."),
                params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
            )
        return start
