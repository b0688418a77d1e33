"""Reads behind the public screens of draft acts (`views.py`): which drafts the public
sees, the list filters, the counts a row or a paragraph shows, the text in the reader's
language. Each function is a fixed number of queries, whatever the number of drafts,
paragraphs or comments (`dialogue.CommentTarget` holds the comment counters).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from accounts.models import Agency
from ashyq.i18n import active_language
from tracking.calendar import local_date

from .models import (
    DiscussionReport,
    Draft,
    DraftStatus,
    DraftType,
    DraftVersion,
    DraftVote,
    Outcome,
    Paragraph,
    VoteValue,
)
from .selectors import paragraph_comment_counts

CURRENT_STATUSES = (DraftStatus.SCHEDULED, DraftStatus.OPEN, DraftStatus.AWAITING_REPORT)
ARCHIVE_STATUSES = (DraftStatus.REPORT_PUBLISHED, DraftStatus.ADOPTED, DraftStatus.WITHDRAWN)
DRAFTS_PER_PAGE = 20


# --- Language of the text -------------------------------------------------------------------


def content_language() -> str:
    """Drafts are written in Kazakh and Russian: Kazakh readers get Kazakh, everyone else
    (Russian and English interfaces) the Russian text."""
    return "kk" if active_language() == "kk" else "ru"


def other_language(lang: str) -> str:
    return "ru" if lang == "kk" else "kk"


# --- What the public sees ---------------------------------------------------------------------


def _published_version_exists():
    return Exists(DraftVersion.objects.filter(draft=OuterRef("pk"), published_at__isnull=False))


def _report_published():
    return Exists(DiscussionReport.objects.filter(draft=OuterRef("pk"), published_at__isnull=False))


def public_drafts():
    """Drafts with a published text (a draft in preparation is nobody's business yet)."""
    return Draft.objects.filter(_published_version_exists())


def can_preview(user, draft: Draft) -> bool:
    return user.is_authenticated and user.has_perm("legal_drafts.change_draft", draft)


def current_drafts():
    """Scheduled, open and awaiting a report."""
    return public_drafts().filter(
        ~Q(outcome__in=[Outcome.ADOPTED, Outcome.WITHDRAWN]) & ~_report_published()
    )


def archived_drafts():
    """Report published, adopted or withdrawn."""
    return public_drafts().filter(
        Q(outcome__in=[Outcome.ADOPTED, Outcome.WITHDRAWN]) | _report_published()
    )


def list_rows(drafts) -> list[Draft]:
    """A page of drafts, with what the template shows set on each (no query per row)."""
    today = local_date()
    rows = list(drafts)
    for draft in rows:
        draft.shown_title = draft.title
        draft.window = window_of(draft, today=today)
    return rows


# --- Window and status --------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    status: str
    status_label: str
    opens_on: datetime.date
    closes_on: datetime.date
    original_closes_on: datetime.date | None  # set when extended
    days_left: int | None  # open drafts: whole days until the (Astana) closing date


def window_of(draft: Draft, *, today: datetime.date | None = None) -> Window:
    """Needs `draft.report` selected (or it costs a query)."""
    today = today or local_date()
    status = draft.status
    closes_on = local_date(draft.effective_closes_at)
    return Window(
        status=status,
        status_label=str(DraftStatus(status).label),
        opens_on=local_date(draft.opens_at),
        closes_on=closes_on,
        original_closes_on=local_date(draft.closes_at) if draft.extended_closes_at else None,
        days_left=(closes_on - today).days if status == DraftStatus.OPEN else None,
    )


# --- Filters ----------------------------------------------------------------------------------


class DraftFilterForm(forms.Form):
    """`?type=<code>&agency=<slug>&status=<status>&year=<year>`; every field optional."""

    type = forms.ModelChoiceField(
        label=_("Type of act"),
        queryset=DraftType.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All types"),
    )
    agency = forms.ModelChoiceField(
        label=_("Drafting agency"),
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All agencies"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, base, statuses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=base.order_by().values("agency_id")
        ).order_by(Agency.name.column())
        self.fields["status"].choices = [("", _("Any status"))] + [
            (status.value, status.label) for status in statuses
        ]
        years = sorted({moment.year for moment in base.order_by().dates("opens_at", "year")})
        self.fields["year"].choices = [("", _("Any year"))] + [
            (str(year), str(year)) for year in reversed(years)
        ]

    def apply(self, drafts):
        if not self.is_bound or not self.is_valid():
            return drafts
        data = self.cleaned_data
        if data["type"]:
            drafts = drafts.filter(type=data["type"])
        if data["agency"]:
            drafts = drafts.filter(agency=data["agency"])
        if data["status"]:
            drafts = drafts.with_status(data["status"])
        if data["year"]:
            drafts = drafts.filter(opens_at__year=data["year"])
        return drafts

    def querystring(self) -> str:
        from urllib.parse import urlencode

        if not self.is_bound or not self.is_valid():
            return ""
        values = {}
        for name in ("type", "agency", "status", "year"):
            value = self.data.get(name)
            if value:
                values[name] = value
        return urlencode(values)


# --- The text of a version ----------------------------------------------------------------


def paragraph_counts(version: DraftVersion) -> dict[int, int]:
    """{paragraph id: visible comments} for every paragraph of `version`: one query."""
    return paragraph_comment_counts(Paragraph.objects.filter(version=version))


@dataclass
class SectionText:
    section: object | None
    heading: str
    paragraphs: list


def version_text(version: DraftVersion, *, counts: dict[int, int] | None = None) -> list:
    """The sections of `version` with their paragraphs, in order, the heading and text in
    the reader's language set on each (`shown_heading`, `shown_text`), and `comment_count`
    when `counts` is given. Two queries."""
    sections = list(version.sections.order_by("order"))
    paragraphs = list(version.paragraphs.order_by("order"))
    by_section: dict[int | None, list] = {}
    for paragraph in paragraphs:
        paragraph.shown_text = paragraph.text
        paragraph.comment_count = (counts or {}).get(paragraph.pk, 0)
        by_section.setdefault(paragraph.section_id, []).append(paragraph)
    result = []
    if by_section.get(None):
        result.append(SectionText(None, "", by_section[None]))
    for section in sections:
        heading = section.heading
        result.append(SectionText(section, heading, by_section.get(section.pk, [])))
    return result


def visible_versions(draft: Draft, *, preview: bool):
    versions = draft.versions.order_by("number")
    if not preview:
        versions = versions.filter(published_at__isnull=False)
    return versions


# --- Votes --------------------------------------------------------------------------------


def vote_refusal(user, draft: Draft) -> tuple[str, str] | None:
    """Why `user` may not vote on `draft` (a code and a sentence), or None when they may."""
    if user.has_perm("legal_drafts.vote", draft):
        return None
    if not draft.is_open():
        return "closed", str(_("Voting is possible only while the discussion is open."))
    if not user.is_authenticated:
        return "anonymous", str(_("Sign in to vote."))
    if not user.is_active or getattr(user, "is_deleted", False):
        return "inactive", str(_("Your account cannot vote."))
    if not account_selectors.has_verified_email(user):
        return "unverified", str(_("Confirm your email address to vote."))
    return "blocked", str(_("Your account is blocked from taking part."))


def vote_counts(draft: Draft) -> dict[str, int]:
    counts = DraftVote.objects.filter(draft=draft).aggregate(
        for_=Count("pk", filter=Q(value=VoteValue.FOR)),
        against=Count("pk", filter=Q(value=VoteValue.AGAINST)),
    )
    return {"for": counts["for_"], "against": counts["against"]}
