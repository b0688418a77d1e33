"""Draft acts put to public discussion: the act, its versioned bilingual text, votes, the
drafting agency's dispositions on comments and the discussion report.

Plain models, not Wagtail pages: a draft is workflow data with a window, an outcome and
duties attached, edited by drafting officials in their workspace. Its status is derived
from dates and records (`DraftQuerySet`), never stored; every change goes through
`services.py`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from ashyq.i18n import TranslatedField
from ashyq.uploads import private_storage

TITLE_MAX = 500


class DraftType(models.Model):
    """A kind of act, with the shortest public discussion it may have.

    `min_discussion_days` counts working days when `min_days_are_working` is set (the
    working-day calendar of `tracking`), calendar days otherwise. Editors may change the
    minimums in the admin; the seeded values are in migration 0002.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    min_discussion_days = models.PositiveSmallIntegerField(_("minimum discussion length (days)"))
    min_days_are_working = models.BooleanField(
        _("counted in working days"),
        default=False,
        help_text=_("Clear to count the minimum in calendar days."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name")

    class Meta:
        verbose_name = _("draft act type")
        verbose_name_plural = _("draft act types")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_discussion_days__gte=1), name="legal_drafts_type_min_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def minimum_rule(self):
        from tracking.deadlines import CalendarDays, WorkingDays

        rule = WorkingDays if self.min_days_are_working else CalendarDays
        return rule(self.min_discussion_days)

    def earliest_close(self, opens_at: datetime.datetime) -> datetime.date:
        """The first (Astana) date a discussion opened at `opens_at` may close on."""
        from tracking.calendar import local_date

        return self.minimum_rule().due_date(local_date(opens_at))


class DraftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open for discussion")
    AWAITING_REPORT = "awaiting_report", _("awaiting report")
    REPORT_PUBLISHED = "report_published", _("report published")
    ADOPTED = "adopted", _("adopted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Outcome(models.TextChoices):
    NONE = "", _("no outcome yet")
    ADOPTED = "adopted", _("adopted")
    SENT_BACK = "sent_back", _("sent back for revision")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DraftQuerySet(models.QuerySet):
    """Status is derived from dates and records. `now` defaults to the current time."""

    def with_effective_close(self):
        return self.annotate(effective_closes_at=Coalesce("extended_closes_at", "closes_at"))

    def _live(self):
        return self.exclude(outcome__in=[Outcome.ADOPTED, Outcome.WITHDRAWN])

    def scheduled(self, now: datetime.datetime | None = None):
        return self._live().filter(opens_at__gt=now or timezone.now())

    def open(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return (
            self._live()
            .with_effective_close()
            .filter(opens_at__lte=now, effective_closes_at__gt=now)
        )

    def closed(self, now: datetime.datetime | None = None):
        """The window is over (whatever the outcome)."""
        return self.with_effective_close().filter(effective_closes_at__lte=now or timezone.now())

    def _report_published(self):
        return Exists(
            DiscussionReport.objects.filter(draft=OuterRef("pk"), published_at__isnull=False)
        )

    def awaiting_report(self, now: datetime.datetime | None = None):
        return self._live().closed(now).exclude(self._report_published())

    def report_published(self, now: datetime.datetime | None = None):
        return self._live().closed(now).filter(self._report_published())

    def adopted(self):
        return self.filter(outcome=Outcome.ADOPTED)

    def withdrawn(self):
        return self.filter(outcome=Outcome.WITHDRAWN)

    def with_status(self, status: str, now: datetime.datetime | None = None):
        method = {
            DraftStatus.SCHEDULED: self.scheduled,
            DraftStatus.OPEN: self.open,
            DraftStatus.AWAITING_REPORT: self.awaiting_report,
            DraftStatus.REPORT_PUBLISHED: self.report_published,
        }.get(status)
        if method is not None:
            return method(now)
        if status == DraftStatus.ADOPTED:
            return self.adopted()
        if status == DraftStatus.WITHDRAWN:
            return self.withdrawn()
        raise ValueError(f"unknown draft status {status!r}")


class Draft(models.Model):
    """A draft act in (or after) its public discussion.

    A draft "sent back" for revision keeps the status its report gives it (awaiting report
    or report published): the six public statuses have no seventh.
    """

    type = models.ForeignKey(
        DraftType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="drafts"
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=TITLE_MAX)
    title_ru = models.CharField(_("title (Russian)"), max_length=TITLE_MAX)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("drafting agency"),
        on_delete=models.PROTECT,
        related_name="legal_drafts",
    )
    responsible_officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officials"),
        blank=True,
        related_name="legal_drafts_responsible",
    )
    explanatory_note_kk = models.TextField(_("explanatory note (Kazakh)"), blank=True)
    explanatory_note_ru = models.TextField(_("explanatory note (Russian)"), blank=True)
    opens_at = models.DateTimeField(_("discussion opens"))
    closes_at = models.DateTimeField(_("discussion closes"))
    extended_closes_at = models.DateTimeField(_("discussion extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    adopted_url = models.URLField(_("link to the adopted act"), max_length=500, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = TranslatedField("title", content=True)
    summary = TranslatedField("summary", content=True)
    explanatory_note = TranslatedField("explanatory_note", content=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft act")
        verbose_name_plural = _("draft acts")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["agency", "opens_at"], name="legal_drafts_agency_opens")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="legal_drafts_closes_after_opens",
                violation_error_message=_("The discussion must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(extended_closes_at__isnull=True)
                | Q(extended_closes_at__gt=F("closes_at")),
                name="legal_drafts_extension_later",
                violation_error_message=_("An extension must end after the original close."),
            ),
            models.CheckConstraint(
                condition=Q(extended_closes_at__isnull=True) | ~Q(extension_reason=""),
                name="legal_drafts_extension_has_reason",
                violation_error_message=_("An extension needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="legal_drafts_withdrawn_has_reason",
                violation_error_message=_("A withdrawal needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.ADOPTED)
                | (~Q(adopted_url="") & Q(adopted_on__isnull=False)),
                name="legal_drafts_adopted_has_link_and_date",
                violation_error_message=_("An adopted act needs a link and a date."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_at__isnull=True)
                | (~Q(outcome="") & Q(outcome_at__isnull=False)),
                name="legal_drafts_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legal_drafts:detail", args=[self.pk])

    def is_public(self) -> bool:
        """A draft is public once its first version is published (one query)."""
        return self.versions.filter(published_at__isnull=False).exists()

    @property
    def effective_closes_at(self) -> datetime.datetime:
        return self.extended_closes_at or self.closes_at

    @effective_closes_at.setter
    def effective_closes_at(self, value) -> None:
        """`with_effective_close()` annotates the same value under the same name, so
        querysets can filter and sort on it; the property stays the source."""

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.outcome not in (Outcome.ADOPTED, Outcome.WITHDRAWN)
            and self.opens_at <= now < self.effective_closes_at
        )

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        return self.effective_closes_at <= (now or timezone.now())

    def status_at(self, now: datetime.datetime | None = None) -> str:
        """Mirrors `DraftQuerySet.with_status`; reads the report row (one query unless
        `select_related("report")` or prefetched)."""
        now = now or timezone.now()
        if self.outcome == Outcome.WITHDRAWN:
            return DraftStatus.WITHDRAWN
        if self.outcome == Outcome.ADOPTED:
            return DraftStatus.ADOPTED
        if now < self.opens_at:
            return DraftStatus.SCHEDULED
        if now < self.effective_closes_at:
            return DraftStatus.OPEN
        report = getattr(self, "report", None) if self.pk else None
        if report is not None and report.published_at is not None:
            return DraftStatus.REPORT_PUBLISHED
        return DraftStatus.AWAITING_REPORT

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return DraftStatus(self.status).label

    def current_version(self) -> DraftVersion | None:
        """The latest published version: what citizens read and comment on."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class VersionPublishedError(Exception):
    """A published version (or its text) was about to change."""


class _FrozenWhenPublishedQuerySet(models.QuerySet):
    """`update()`/`delete()` refuse rows of published versions (the admin and bulk edits
    cannot bypass immutability). `version_field` names the path to the version."""

    version_path = "version__published_at__isnull"

    def update(self, **kwargs):
        if self.filter(**{self.version_path: False}).exists():
            raise VersionPublishedError("A published version is immutable.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(**{self.version_path: False}).exists():
            raise VersionPublishedError("A published version is immutable.")
        return super().delete()


class _VersionQuerySet(_FrozenWhenPublishedQuerySet):
    version_path = "published_at__isnull"


class DraftVersion(models.Model):
    """One text of the draft. Edited while unpublished; immutable once published (a changed
    text is a new version). Comments stay on the paragraphs of the version they were
    written on."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    note_kk = models.TextField(_("what changed (Kazakh)"), blank=True)
    note_ru = models.TextField(_("what changed (Russian)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    note = TranslatedField("note", content=True)

    objects = _VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="legal_drafts_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(published_at__isnull=True),
                name="legal_drafts_one_unpublished_version",
                violation_error_message=_("A draft has at most one version in preparation."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="legal_drafts_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self._stored_published():
            raise VersionPublishedError("A published version is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_published():
            raise VersionPublishedError("A published version is immutable.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def _stored_published(self) -> bool:
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists()
        )


class _TextPart(models.Model):
    """What sections and paragraphs share: they belong to a version and freeze with it."""

    objects = _FrozenWhenPublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._version_published():
            raise VersionPublishedError("A published version is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_published():
            raise VersionPublishedError("A published version is immutable.")
        return super().delete(*args, **kwargs)

    def _version_published(self) -> bool:
        return DraftVersion.objects.filter(pk=self.version_id, published_at__isnull=False).exists()


class Section(_TextPart):
    """A structural heading (a chapter or article) grouping paragraphs."""

    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("order"))
    anchor = models.SlugField(_("anchor"), max_length=64)
    number = models.CharField(_("number"), max_length=32, blank=True)
    heading_kk = models.CharField(_("heading (Kazakh)"), max_length=500, blank=True)
    heading_ru = models.CharField(_("heading (Russian)"), max_length=500, blank=True)

    heading = TranslatedField("heading", content=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "anchor"], name="legal_drafts_section_anchor_unique"
            ),
            models.UniqueConstraint(
                fields=["version", "order"], name="legal_drafts_section_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.heading or self.anchor


class Paragraph(_TextPart):
    """A commentable provision (a point of an article). Its `anchor` (e.g. `art-5-p-2`) is
    the same in both languages and, for an unchanged provision, across versions."""

    version = models.ForeignKey(
        DraftVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="paragraphs",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paragraphs",
    )
    order = models.PositiveIntegerField(_("order"))
    anchor = models.SlugField(_("anchor"), max_length=64)
    number = models.CharField(_("number"), max_length=32, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))

    text = TranslatedField("text", content=True)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "anchor"], name="legal_drafts_paragraph_anchor_unique"
            ),
            models.UniqueConstraint(
                fields=["version", "order"], name="legal_drafts_paragraph_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.anchor

    def get_absolute_url(self) -> str:
        """The paragraph's own page: its text and its thread, without the others'."""
        version = self.version
        return reverse(
            "legal_drafts:paragraph", args=[version.draft_id, version.number, self.anchor]
        )


class AttachmentKind(models.TextChoices):
    EXPLANATORY_NOTE = "explanatory_note", _("explanatory note")
    BUSINESS_CHAMBER = "business_chamber", _("business-chamber opinion")
    ANTI_CORRUPTION = "anti_corruption", _("anti-corruption expertise")
    OTHER = "other", _("other document")


def _attachment_path(instance: DraftAttachment, filename: str) -> str:
    return f"legal_drafts/{instance.draft_id}/{filename}"


class DraftAttachment(models.Model):
    """A document published with the draft (PDF or DOCX, checked by `ashyq.uploads`)."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft attachment")
        verbose_name_plural = _("draft attachments")
        ordering = ["draft", "kind", "pk"]

    def __str__(self) -> str:
        return self.name


class VoteValue(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")


class DraftVote(models.Model):
    """One citizen's vote on a draft, changeable while the discussion is open."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="legal_draft_votes",
    )
    value = models.CharField(_("vote"), max_length=8, choices=VoteValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote on a draft")
        verbose_name_plural = _("votes on drafts")
        constraints = [
            models.UniqueConstraint(fields=["draft", "user"], name="legal_drafts_one_vote_each"),
            models.CheckConstraint(
                condition=Q(value__in=VoteValue.values), name="legal_drafts_vote_value_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.value} {self.draft}"


class DispositionValue(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTIALLY = "partially", _("partially accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    NOTED = "noted", _("noted")


class Disposition(models.Model):
    """The drafting agency's answer to one top-level comment on the draft or a paragraph."""

    comment = models.OneToOneField(
        "dialogue.Comment",
        verbose_name=_("comment"),
        on_delete=models.PROTECT,
        related_name="legal_draft_disposition",
    )
    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="dispositions"
    )
    value = models.CharField(_("disposition"), max_length=16, choices=DispositionValue.choices)
    reason = models.TextField(_("reason"))
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)
    changed_paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraph changed in a later version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispositions_applied",
    )

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["draft", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="legal_drafts_disposition_has_reason",
                violation_error_message=_("A disposition needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(value__in=DispositionValue.values),
                name="legal_drafts_disposition_value_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_value_display()}: {self.comment_id}"


class DiscussionReport(models.Model):
    """The agency's report on the discussion. The row exists from the draft's creation and
    holds the report obligation; `published_at` is set once, by `services.report_publish`.
    Its table is computed from the comments and dispositions (`selectors.report_rows`)."""

    draft = models.OneToOneField(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="report"
    )
    obligation = models.OneToOneField(
        "tracking.Obligation",
        verbose_name=_("obligation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)

    summary = TranslatedField("summary", content=True)

    class Meta:
        verbose_name = _("discussion report")
        verbose_name_plural = _("discussion reports")

    def __str__(self) -> str:
        return str(self.draft)


class DraftIndexPage(Page):
    """The "Draft acts" entry of the site's menu, with an introduction editors write. Its
    address (/<lang>/drafts/ with the slug "drafts") is answered by the draft list view,
    which shows this page's title and introduction; the drafts themselves are not pages."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("draft acts index")
        verbose_name_plural = _("draft acts indexes")

    def serve(self, request, *args, **kwargs):
        """Reached only under another slug: the list lives at a fixed address."""
        from django.shortcuts import redirect

        return redirect("legal_drafts:index")

    @classmethod
    def for_request(cls, request) -> DraftIndexPage | None:
        """The index page of the active language, if editors made one (one query)."""
        from wagtail.models import Locale

        return cls.objects.live().filter(locale=Locale.get_active()).first()
