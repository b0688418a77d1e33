"""Atom feeds of obligations that became overdue recently: all agencies, and one agency.

An entry is an obligation whose due moment passed in the last `WINDOW_DAYS` days and which
is still open with its clock running (not answered, not withdrawn, not waiting on the
citizen): it became overdue at its due moment, its `updated` date. Newest first, at most
`FEED_ENTRIES`; three queries whatever the size of the ledger (the rows with their agency,
then one per subject type — the feed's own object, an agency, is one more).

Titles come from the kinds' `title_of` and are escaped before they are given to the feed
as HTML, so nothing typed into a question becomes markup in a feed reader.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import Agency

from . import calendar, kinds
from .models import Obligation

WINDOW_DAYS = 30
FEED_ENTRIES = 100


def newly_overdue(*, agency: Agency | None = None, now: datetime.datetime | None = None):
    """Open, running obligations whose due moment passed in the last 30 days, newest first."""
    now = now or timezone.now()
    queryset = Obligation.objects.overdue(now).filter(
        due_at__gte=now - datetime.timedelta(days=WINDOW_DAYS)
    )
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    return (
        queryset.select_related("agency", "content_type")
        .prefetch_related("subject")
        .order_by("-due_at", "-pk")[:FEED_ENTRIES]
    )


class OverdueFeed(Feed):
    """`/<lang>/obligations/overdue/feed/`: every agency."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.now = timezone.now()
        return None

    def title(self, obj) -> str:
        return _("Newly overdue obligations")

    def subtitle(self, obj) -> str:
        return _(
            "What agencies owed and did not answer by the due date, in the last %(days)d days."
        ) % {"days": WINDOW_DAYS}

    def link(self, obj) -> str:
        return reverse("tracking:open_data")

    def feed_url(self, obj) -> str:
        return self.request.path

    def author_name(self, obj) -> str:
        return "Ashyq"

    def items(self, obj) -> list[Obligation]:
        return list(newly_overdue(now=self.now))

    def item_title(self, item: Obligation) -> str:
        title = kinds.title_of(item.kind, item.subject) or kinds.label_of(item.kind)
        return _("%(agency)s: %(title)s") % {"agency": item.agency.name, "title": title}

    def item_link(self, item: Obligation) -> str:
        return kinds.url_of(item.kind, item.subject) or reverse("tracking:open_data")

    def item_guid(self, item: Obligation) -> str:
        return self.request.build_absolute_uri(f"/api/v1/obligations/{item.pk}/")

    item_guid_is_permalink = False

    def item_description(self, item: Obligation) -> str:
        def day(moment):
            return formats.date_format(calendar.local_date(moment), "DATE_FORMAT")

        lines = [
            _("%(kind)s, owed by %(agency)s.")
            % {"kind": kinds.label_of(item.kind), "agency": item.agency.name},
            _("Received on %(opened)s; due on %(due)s; not answered.")
            % {"opened": day(item.opened_at), "due": day(item.due_at)},
        ]
        if item.extended_due_at:
            lines.append(_("The period was extended once."))
        return "".join(f"<p>{escape(line)}</p>" for line in lines)

    def item_updateddate(self, item: Obligation) -> datetime.datetime:
        return timezone.localtime(item.due_at)  # became overdue then

    def item_pubdate(self, item: Obligation) -> datetime.datetime:
        return timezone.localtime(item.due_at)

    def item_categories(self, item: Obligation) -> list[str]:
        return [kinds.label_of(item.kind)]


class AgencyOverdueFeed(OverdueFeed):
    """`/<lang>/agencies/<slug>/overdue/feed/`: one agency."""

    def get_object(self, request, slug: str):
        super().get_object(request)
        return get_object_or_404(Agency, slug=slug)

    def title(self, agency: Agency) -> str:
        return _("Newly overdue obligations of %(agency)s") % {"agency": agency.name}

    def link(self, agency: Agency) -> str:
        return agency.get_absolute_url()

    def items(self, agency: Agency) -> list[Obligation]:
        return list(newly_overdue(agency=agency, now=self.now))
