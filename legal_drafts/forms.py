"""Forms of the drafting agency's workspace. They only shape and label the input: what
may be changed, and when, is decided by `services.py`, whose refusals the views put back
on these forms next to the field they concern.

Dates and times are typed in Astana time (`<input type="datetime-local">`): the fields
below read and show them in `tracking.calendar.tz()` whatever the active time zone.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, User
from ashyq.uploads import MultipleFileField
from tracking import calendar

from .models import TITLE_MAX, AttachmentKind, DispositionValue, DraftType, Outcome
from .services import REASON_MAX

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
MARKDOWN_MAX = 2_000_000
DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class LocalDateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` showing the value in Astana time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_INPUT_FORMAT)

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(calendar.tz())
            return value.strftime(LOCAL_INPUT_FORMAT)
        return super().format_value(value)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in Astana time; the cleaned value is aware."""

    widget = LocalDateTimeInput
    input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            moment = None
            text = str(value).strip()
            for input_format in self.input_formats:
                try:
                    moment = datetime.datetime.strptime(text, input_format)
                    break
                except ValueError:
                    continue
            if moment is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=calendar.tz())
        return moment


class WorkspaceForm(forms.Form):
    """No colon after labels; ids prefixed per form (`auto_id`)."""

    prefix_id = "form"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"{self.prefix_id}-%s")
        super().__init__(*args, **kwargs)


# --- The draft --------------------------------------------------------------------------


class DraftTypeField(forms.ModelChoiceField):
    def label_from_instance(self, draft_type: DraftType) -> str:
        return _("%(type)s (at least %(rule)s)") % {
            "type": draft_type.name,
            "rule": draft_type.minimum_rule().label,
        }


class OfficialsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user: User) -> str:
        return user.public_name


class DraftForm(WorkspaceForm):
    """Create or edit a draft. Once its first version is published the window (type,
    opening, close) is fixed: those fields are shown disabled (`window_locked`)."""

    prefix_id = "draft"
    WINDOW_FIELDS = ("type", "opens_at", "closes_at")

    type = DraftTypeField(
        label=gettext_lazy("Type of act"),
        queryset=DraftType.objects.none(),
        empty_label=gettext_lazy("Choose a type"),
        help_text=gettext_lazy(
            "Each type has a minimum length of public discussion, shown next to its name."
        ),
    )
    title_kk = forms.CharField(label=gettext_lazy("Title in Kazakh"), max_length=TITLE_MAX)
    title_ru = forms.CharField(label=gettext_lazy("Title in Russian"), max_length=TITLE_MAX)
    summary_kk = forms.CharField(
        label=gettext_lazy("Summary in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary_ru = forms.CharField(
        label=gettext_lazy("Summary in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    explanatory_note_kk = forms.CharField(
        label=gettext_lazy("Explanatory note in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    explanatory_note_ru = forms.CharField(
        label=gettext_lazy("Explanatory note in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    responsible_officials = OfficialsField(
        label=gettext_lazy("Responsible officials"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Members of the drafting agency who answer for this draft."),
    )
    opens_at = LocalDateTimeField(
        label=gettext_lazy("Discussion opens"),
        help_text=gettext_lazy("Date and time in Astana time."),
    )
    closes_at = LocalDateTimeField(label=gettext_lazy("Discussion closes"))

    def __init__(self, *args, agency, window_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window_locked = window_locked
        self.types = list(DraftType.objects.all())
        self.fields["type"].queryset = DraftType.objects.all()
        member_ids = Membership.objects.filter(agency=agency).values("user_id")
        self.fields["responsible_officials"].queryset = User.objects.filter(
            pk__in=member_ids, is_active=True
        ).order_by("display_name", "pk")
        if window_locked:
            for name in self.WINDOW_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["closes_at"].help_text = _(
                "The discussion window is published and can no longer be changed here; "
                "extend the discussion instead."
            )
        else:
            self.fields["closes_at"].help_text = self._close_help()

    def _value(self, name: str):
        """The value typed (bound) or given as initial, cleaned; None when not valid."""
        field = self.fields[name]
        raw = (
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if self.is_bound
            else self.get_initial_for_field(field, name)
        )
        try:
            return field.clean(raw)
        except forms.ValidationError:
            return None

    def _close_help(self) -> str:
        rules = "; ".join(
            _("%(type)s: %(rule)s") % {"type": t.name, "rule": t.minimum_rule().label}
            for t in self.types
        )
        text = _("Date and time in Astana time. Minimum discussion: %(rules)s.") % {"rules": rules}
        draft_type, opens_at = self._value("type"), self._value("opens_at")
        if draft_type is not None and opens_at is not None:
            earliest = draft_type.earliest_close(opens_at)
            text += " " + _(
                "For a %(type)s opening on %(opens)s, the earliest allowed close is %(date)s."
            ) % {
                "type": draft_type.name,
                "opens": date_format(calendar.local_date(opens_at), "DATE_FORMAT"),
                "date": date_format(earliest, "DATE_FORMAT"),
            }
        return text

    def changes(self) -> dict:
        """The cleaned values to give `services.draft_update` (never the locked window)."""
        data = dict(self.cleaned_data)
        if self.window_locked:
            for name in self.WINDOW_FIELDS:
                data.pop(name, None)
        return data


# --- The text ---------------------------------------------------------------------------


class DocxUploadForm(WorkspaceForm):
    prefix_id = "docx"

    docx_kk = forms.FileField(
        label=gettext_lazy("Kazakh text (DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}),
    )
    docx_ru = forms.FileField(
        label=gettext_lazy("Russian text (DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}),
    )
    note_kk = forms.CharField(
        label=gettext_lazy("What changed, in Kazakh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note_ru = forms.CharField(
        label=gettext_lazy("What changed, in Russian (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MarkdownUploadForm(WorkspaceForm):
    """Paste the two texts, or choose two .md files (a chosen file wins over the box)."""

    prefix_id = "md"

    markdown_kk = forms.CharField(
        label=gettext_lazy("Kazakh text (Markdown)"),
        required=False,
        max_length=MARKDOWN_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "kk"}),
        help_text=gettext_lazy(
            "Headings start with #; numbered points (“1.”, “1)”) become paragraphs."
        ),
    )
    file_kk = forms.FileField(
        label=gettext_lazy("…or a Kazakh .md file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown"}),
    )
    markdown_ru = forms.CharField(
        label=gettext_lazy("Russian text (Markdown)"),
        required=False,
        max_length=MARKDOWN_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "ru"}),
    )
    file_ru = forms.FileField(
        label=gettext_lazy("…or a Russian .md file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown"}),
    )
    note_kk = forms.CharField(
        label=gettext_lazy("What changed, in Kazakh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note_ru = forms.CharField(
        label=gettext_lazy("What changed, in Russian (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def _text(self, language: str) -> str:
        upload = self.cleaned_data.get(f"file_{language}")
        if upload:
            if upload.size > MARKDOWN_MAX:
                self.add_error(f"file_{language}", _("This file is too large."))
                return ""
            try:
                return upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error(f"file_{language}", _("Save the file as UTF-8 text, please."))
                return ""
        return self.cleaned_data.get(f"markdown_{language}") or ""

    def clean(self):
        cleaned = super().clean()
        for language, message in (
            ("kk", _("Give the Kazakh text.")),
            ("ru", _("Give the Russian text.")),
        ):
            text = self._text(language)
            cleaned[f"text_{language}"] = text
            if not text.strip() and f"file_{language}" not in self.errors:
                self.add_error(f"markdown_{language}", message)
        return cleaned


class PublishVersionForm(WorkspaceForm):
    prefix_id = "publish"

    note_kk = forms.CharField(
        label=gettext_lazy("What changed, in Kazakh"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
    )
    note_ru = forms.CharField(
        label=gettext_lazy("What changed, in Russian"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that a published version can never be changed"),
        help_text=gettext_lazy("A corrected text will be a new version."),
        error_messages={"required": gettext_lazy("Confirm that you have checked the text.")},
    )


# --- Documents and the window -------------------------------------------------------------


class AttachmentForm(WorkspaceForm):
    prefix_id = "attachment"

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of document"),
        choices=[("", gettext_lazy("Choose a kind")), *AttachmentKind.choices],
    )
    attachments = MultipleFileField(label=gettext_lazy("Files"), required=True)


class ExtendForm(WorkspaceForm):
    prefix_id = "extend"

    new_closes_at = LocalDateTimeField(
        label=gettext_lazy("New close"),
        help_text=gettext_lazy("Date and time in Astana time; later than the current close."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the extension (published)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(WorkspaceForm):
    prefix_id = "withdraw"

    reason = forms.CharField(
        label=gettext_lazy("Reason for the withdrawal (published)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that a withdrawn draft cannot be reopened"),
        error_messages={"required": gettext_lazy("Confirm the withdrawal.")},
    )


class OutcomeForm(WorkspaceForm):
    prefix_id = "outcome"

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (Outcome.ADOPTED, Outcome.ADOPTED.label),
            (Outcome.SENT_BACK, Outcome.SENT_BACK.label),
        ],
        widget=forms.RadioSelect,
    )
    adopted_url = forms.URLField(
        label=gettext_lazy("Link to the adopted act"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Only when adopted: its page on adilet.zan.kz, for example."),
    )
    adopted_on = forms.DateField(
        label=gettext_lazy("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Only when adopted."),
    )


# --- Answers and the report -------------------------------------------------------------


class QueueFilterForm(forms.Form):
    UNANSWERED, ANSWERED, ALL = "unanswered", "answered", "all"
    WHOLE_DRAFT = "draft"

    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            (UNANSWERED, gettext_lazy("Awaiting a disposition")),
            (ANSWERED, gettext_lazy("Answered")),
            (ALL, gettext_lazy("All comments")),
        ],
    )
    anchor = forms.ChoiceField(label=gettext_lazy("Paragraph"), required=False)

    def __init__(self, *args, anchors=(), **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["anchor"].choices = [
            ("", _("All paragraphs")),
            (self.WHOLE_DRAFT, _("The draft as a whole")),
            *((anchor, anchor) for anchor in anchors),
        ]

    def value(self, name: str) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or ""
        return ""


class DispositionForm(WorkspaceForm):
    prefix_id = "disposition"

    value = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        choices=DispositionValue.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (published with the report)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(WorkspaceForm):
    prefix_id = "report"

    summary_kk = forms.CharField(
        label=gettext_lazy("Summary of the discussion in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "kk"}),
    )
    summary_ru = forms.CharField(
        label=gettext_lazy("Summary of the discussion in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "ru"}),
    )
