"""The Atom feed of published draft acts, newest publication first."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Min, Q
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from . import pages
from .models import Draft

FEED_ENTRIES = 30


class DraftFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Draft acts open to public discussion")

    def link(self) -> str:
        return reverse("legal_drafts:index")

    def subtitle(self) -> str:
        return _("Draft legal acts published for public discussion, newest first")

    def items(self) -> list[Draft]:
        """One query: the drafts with a published version, by their first publication."""
        return list(
            pages.public_drafts()
            .select_related("type", "agency")
            .annotate(
                first_published_at=Min(
                    "versions__published_at", filter=Q(versions__published_at__isnull=False)
                )
            )
            .order_by("-first_published_at", "-pk")[:FEED_ENTRIES]
        )

    def item_title(self, draft: Draft) -> str:
        return draft.title

    def item_link(self, draft: Draft) -> str:
        return reverse("legal_drafts:detail", kwargs={"pk": draft.pk})

    def item_description(self, draft: Draft) -> str:
        # Escaped before it is handed over as HTML.
        return linebreaks(draft.summary, autoescape=True)

    def item_pubdate(self, draft: Draft) -> datetime.datetime:
        return draft.first_published_at

    def item_updateddate(self, draft: Draft) -> datetime.datetime:
        return draft.updated_at

    def item_author_name(self, draft: Draft) -> str:
        return draft.agency.name

    def item_categories(self, draft: Draft) -> list[str]:
        return [draft.type.name]
