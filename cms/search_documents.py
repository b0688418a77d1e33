"""What of the CMS is searchable: announcements and standard pages that are live and
public (no view restriction), each page in its own language. The translations of a page
share its `translation_key`, so they are one result, shown in the reader's language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from search import registry
from search.registry import SearchDoc

from .models import AnnouncementPage, StandardPage


def _language(page: Page) -> str:
    code = (page.locale.language_code or "kk").split("-")[0].lower()
    return code if code in registry.LANGUAGES else "kk"


def _stream_text(page: Page, field_name: str) -> str:
    field = page._meta.get_field(field_name)
    return "\n".join(
        part for part in field.get_searchable_content(getattr(page, field_name)) if part
    )


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def announcement_documents(page: AnnouncementPage):
    yield SearchDoc(
        title=page.title,
        body="\n".join(part for part in (page.summary, _stream_text(page, "body")) if part),
        language=_language(page),
        url=page.url or "",
        date=page.date,
        agency_id=page.agency_id,
        group=f"wagtailcore.page:{page.translation_key}",
    )


def standard_page_documents(page: StandardPage):
    yield SearchDoc(
        title=page.title,
        body="\n".join(part for part in (page.intro, _stream_text(page, "body")) if part),
        language=_language(page),
        url=page.url or "",
        date=_local_date(page.last_published_at or page.first_published_at),
        group=f"wagtailcore.page:{page.translation_key}",
    )


def restricted_pages(model):
    """A view restriction added to (or removed from) a page changes whether the page and
    everything under it is public."""

    def pks(restriction: PageViewRestriction):
        page_id = restriction.page_id

        def lookup():
            page = Page.objects.filter(pk=page_id).first()
            if page is None:
                return []
            return model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)

        return lookup

    return pks


registry.register(
    "announcement",
    label=_("Announcements"),
    model=AnnouncementPage,
    queryset=lambda: AnnouncementPage.objects.live().public(),
    documents=announcement_documents,
    watch={PageViewRestriction: restricted_pages(AnnouncementPage)},
    select_related=("locale",),
)
registry.register(
    "page",
    label=_("Pages"),
    model=StandardPage,
    queryset=lambda: StandardPage.objects.live().public(),
    documents=standard_page_documents,
    watch={PageViewRestriction: restricted_pages(StandardPage)},
    select_related=("locale",),
)
