from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import BodyBlock

ANNOUNCEMENTS_PER_PAGE = 10


class HomePage(Page):
    """The front page of one language. Modules add their own sections as they arrive."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_announcements"] = (
            AnnouncementPage.objects.live()
            .public()
            .filter(locale=self.locale)
            .order_by("-date", "-pk")[:3]
        )
        from .home import sections_for

        context["home_sections"] = sections_for(request)
        return context


class StandardPage(Page):
    intro = models.CharField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class AnnouncementIndexPage(RoutablePageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.AnnouncementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("announcement index")

    def announcements(self):
        return (
            AnnouncementPage.objects.live()
            .public()
            .child_of(self)
            .select_related("agency")
            .order_by("-date", "-pk")
        )

    @path("")
    def index_route(self, request):
        page_obj = Paginator(self.announcements(), ANNOUNCEMENTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return self.render(request, context_overrides={"page_obj": page_obj})

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import AnnouncementFeed

        return AnnouncementFeed()(request, index=self)


class AnnouncementPage(Page):
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        help_text=_("The body the announcement is about, if any."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("agency"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.AnnouncementIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contacts shown in every page footer. Texts that need translating are in `FooterText`."""

    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    class Meta:
        verbose_name = _("site settings")


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The footer's text, one per language (translated with Wagtail's own i18n)."""

    body = RichTextField(_("footer text"), features=["bold", "italic", "link"])

    panels = [FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer texts")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.locale})"
