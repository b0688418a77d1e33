"""E-petitions under the law "On Public Control" (2023): a citizen's petition to a body,
pre-moderated by the platform operator, signed by verified users, answered by the body
once it reaches the threshold.

The lifecycle state is stored (`Petition.state`) because each transition is an event with
its own date, a duty in `tracking` and a notification; what a clock alone decides (the
support period or the collection ran out before `close_expired` ran) is derived on read
by `Petition.effective_state(now)`, so a page never shows an expired petition as open.
The response state (`response_state`) is kept apart, as UK e-petitions do: a petition can
be closed for signing and still await its answer.

Counts are denormalised (`Petition.signature_count`, `RegionCount`) and changed in the
same transaction as each signature, so no page counts signature rows. Every change goes
through `services.py`; docs/petitions.md describes the whole domain.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.regions import Region
from ashyq.i18n import TranslatedField
from ashyq.uploads import private_storage

TITLE_MAX = 150
REQUEST_MAX = 3000
BACKGROUND_MAX = 10000
NOTE_MAX = 2000
RESPONSE_MAX = 20000


def setting(name: str, default):
    """A PETITIONS_* setting, read when used (tests override them)."""
    return getattr(settings, f"PETITIONS_{name}", default)


# --- configuration -------------------------------------------------------------------


class RejectionReason(models.Model):
    """Why moderation refused a petition: one of the law's excluded topics, or an ordinary
    ground (duplicate, wrong addressee, ...). Seeded by migration 0002; editors change the
    list. A reason that is not `public` (personal data, abuse) is shown only to the author
    and moderators, and the petition it rejects stays private with it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=300)
    label_ru = models.CharField(_("label (Russian)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    excluded_topic = models.BooleanField(
        _("excluded topic"),
        default=False,
        help_text=_("A topic on which the law does not allow petitions."),
    )
    public = models.BooleanField(
        _("shown publicly"),
        default=True,
        help_text=_(
            "Clear for reasons that must not be published (personal data, abuse): the "
            "rejected petition is then visible only to its author and moderators."
        ),
    )
    is_active = models.BooleanField(_("offered to moderators"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    label = TranslatedField("label")

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class ThresholdMode(models.TextChoices):
    FIXED = "fixed", _("fixed number of signatures")
    POPULATION_SHARE = "population_share", _("share of the population")


class AddresseeRule(models.Model):
    """How many signatures a petition to this body needs, and how long the body has to
    answer. Without a rule: central bodies `PETITIONS_CENTRAL_THRESHOLD` (50,000), local
    ones `PETITIONS_LOCAL_DEFAULT_THRESHOLD`, and the deadline follows `Agency.kind`."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("addressee"),
        on_delete=models.CASCADE,
        related_name="petition_rule",
    )
    threshold_mode = models.CharField(
        _("threshold"), max_length=16, choices=ThresholdMode.choices, default=ThresholdMode.FIXED
    )
    fixed_threshold = models.PositiveIntegerField(_("fixed threshold"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    share_percent = models.DecimalField(
        _("share of the population (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    central = models.BooleanField(
        _("central body"),
        default=False,
        help_text=_("Central bodies answer within 40 working days, local ones within 20."),
    )

    class Meta:
        verbose_name = _("petition addressee rule")
        verbose_name_plural = _("petition addressee rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(threshold_mode=ThresholdMode.FIXED) | Q(fixed_threshold__gte=1),
                name="petitions_rule_fixed_has_number",
                violation_error_message=_("Give the fixed threshold."),
            ),
            models.CheckConstraint(
                condition=~Q(threshold_mode=ThresholdMode.POPULATION_SHARE)
                | Q(population__gte=1, share_percent__gt=0, share_percent__lte=100),
                name="petitions_rule_share_complete",
                violation_error_message=_(
                    "Give the population and a share above 0 and at most 100 per cent."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def threshold(self) -> int:
        if self.threshold_mode == ThresholdMode.POPULATION_SHARE:
            share = Decimal(self.population) * Decimal(str(self.share_percent)) / Decimal(100)
            return max(1, int(share.to_integral_value(rounding="ROUND_CEILING")))
        return int(self.fixed_threshold)


def _rule_of(agency) -> AddresseeRule | None:
    try:
        return agency.petition_rule
    except AddresseeRule.DoesNotExist:
        return None


def threshold_for(agency) -> int:
    """The signatures a petition to `agency` needs (copied onto the petition when it is
    published, so the rule can change without moving a running collection's goal)."""
    rule = _rule_of(agency)
    if rule is not None:
        return rule.threshold()
    if agency.kind == "central":
        return int(setting("CENTRAL_THRESHOLD", 50_000))
    return int(setting("LOCAL_DEFAULT_THRESHOLD", 1_000))


def is_central(agency) -> bool:
    """Central bodies owe a response within 40 working days, local ones within 20."""
    rule = _rule_of(agency)
    return rule.central if rule is not None else agency.kind == "central"


# --- petitions ---------------------------------------------------------------------------


class PetitionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_MODERATION = "in_moderation", _("in moderation")
    PUBLISHED = "published", _("gathering first supporters")
    PUBLIC = "public", _("open for signatures")
    THRESHOLD_REACHED = "threshold_reached", _("threshold reached")
    CLOSED_UNSUPPORTED = "closed_unsupported", _("closed: not enough supporters")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ResponseState(models.TextChoices):
    NONE = "none", _("no response due")
    AWAITING = "awaiting", _("awaiting response")
    RESPONDED = "responded", _("responded")


# Signatures are taken in these states (and only before the clocks in `is_collecting`).
COLLECTING_STATES = (
    PetitionState.PUBLISHED,
    PetitionState.PUBLIC,
    PetitionState.THRESHOLD_REACHED,
)
# Listed publicly (the public list, search, the API list).
LISTED_STATES = (PetitionState.PUBLIC, PetitionState.THRESHOLD_REACHED, PetitionState.CLOSED)
# Only the author and moderators see these.
PRIVATE_STATES = (PetitionState.DRAFT, PetitionState.SUBMITTED, PetitionState.IN_MODERATION)
# The author may withdraw until the threshold is reached.
WITHDRAWABLE_STATES = (
    PetitionState.DRAFT,
    PetitionState.SUBMITTED,
    PetitionState.IN_MODERATION,
    PetitionState.PUBLISHED,
    PetitionState.PUBLIC,
)


class PetitionQuerySet(models.QuerySet):
    def listed(self):
        """What the public list shows (before the clocks: see `effective_state`)."""
        return self.filter(state__in=LISTED_STATES, hidden_at__isnull=True)

    def collecting(self, now: datetime.datetime | None = None):
        """Taking signatures at `now`, whatever `close_expired` has not yet caught up with."""
        now = now or timezone.now()
        return self.filter(state__in=COLLECTING_STATES, collection_closes_at__gt=now).exclude(
            state=PetitionState.PUBLISHED, support_deadline__lt=now
        )

    def expired(self, now: datetime.datetime | None = None):
        """Rows `close_expired` must move (published past the support period, or published
        or public past the collection's end; threshold-reached ones past the end once
        answered)."""
        now = now or timezone.now()
        return self.filter(
            Q(state=PetitionState.PUBLISHED, support_deadline__lt=now)
            | Q(state=PetitionState.PUBLIC, collection_closes_at__lte=now)
            | Q(
                state=PetitionState.THRESHOLD_REACHED,
                response_state=ResponseState.RESPONDED,
                collection_closes_at__lte=now,
            )
        )


class Petition(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    addressee = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    request = models.TextField(_("what the petition asks for"), max_length=REQUEST_MAX)
    background = models.TextField(_("background"), max_length=BACKGROUND_MAX, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=PetitionState.choices,
        default=PetitionState.DRAFT,
        db_index=True,
    )
    response_state = models.CharField(
        _("response state"),
        max_length=12,
        choices=ResponseState.choices,
        default=ResponseState.NONE,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    moderation_started_at = models.DateTimeField(_("moderation started at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    support_deadline = models.DateTimeField(_("first supporters due by"), null=True, blank=True)
    public_at = models.DateTimeField(_("public since"), null=True, blank=True)
    threshold_reached_at = models.DateTimeField(_("threshold reached at"), null=True, blank=True)
    collection_closes_at = models.DateTimeField(
        _("collection closes at"), null=True, blank=True, db_index=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    rejection_reason = models.ForeignKey(
        RejectionReason,
        verbose_name=_("rejection reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )
    rejection_note = models.TextField(_("rejection note"), blank=True)
    threshold = models.PositiveIntegerField(_("signatures needed"), null=True, blank=True)
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderation_obligation = models.OneToOneField(
        "tracking.Obligation",
        verbose_name=_("moderation obligation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    response_obligation = models.OneToOneField(
        "tracking.Obligation",
        verbose_name=_("response obligation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Moderation after publication (`moderation.registry`): the text stays, a placeholder
    # with the reason is shown instead.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("hidden because"), max_length=32, blank=True)
    hidden_note = models.TextField(_("moderator's note"), blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-signature_count"], name="petitions_state_count"),
            models.Index(fields=["addressee", "state"], name="petitions_addressee_state"),
            models.Index(fields=["author", "-created_at"], name="petitions_author_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="petitions_has_title"),
            models.CheckConstraint(
                condition=Q(state__in=PetitionState.values), name="petitions_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(response_state__in=ResponseState.values),
                name="petitions_response_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=PetitionState.REJECTED)
                | Q(rejection_reason__isnull=False, rejected_at__isnull=False),
                name="petitions_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(
                    threshold__gte=1,
                    support_deadline__gt=F("published_at"),
                    collection_closes_at__gt=F("published_at"),
                ),
                name="petitions_published_has_goal_and_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=COLLECTING_STATES) | Q(published_at__isnull=False),
                name="petitions_collecting_was_published",
            ),
            models.CheckConstraint(
                condition=~Q(state=PetitionState.THRESHOLD_REACHED)
                | Q(threshold_reached_at__isnull=False),
                name="petitions_threshold_reached_dated",
            ),
            models.CheckConstraint(
                condition=Q(response_state=ResponseState.NONE)
                | Q(threshold_reached_at__isnull=False),
                name="petitions_response_after_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(response_state=ResponseState.RESPONDED)
                | Q(responded_at__isnull=False),
                name="petitions_responded_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("petitions:detail", args=[self.pk])
        except NoReverseMatch:  # before the screens' URLs exist
            return f"/petitions/{self.pk}/"

    def effective_state(self, now: datetime.datetime | None = None) -> str:
        """The state as of `now`, with the clocks applied: `close_expired` (a daily
        command) stores the same result, this keeps pages right between its runs."""
        now = now or timezone.now()
        state = self.state
        if state == PetitionState.PUBLISHED and self.support_deadline < now:
            if self.signature_count < int(setting("SUPPORT_MINIMUM", 50)):
                return PetitionState.CLOSED_UNSUPPORTED
            return PetitionState.CLOSED if self.collection_closes_at <= now else state
        if state == PetitionState.PUBLIC and self.collection_closes_at <= now:
            return PetitionState.CLOSED
        if (
            state == PetitionState.THRESHOLD_REACHED
            and self.response_state == ResponseState.RESPONDED
            and self.collection_closes_at <= now
        ):
            return PetitionState.CLOSED
        return state

    def effective_state_label(self, now: datetime.datetime | None = None) -> str:
        return str(PetitionState(self.effective_state(now)).label)

    def is_collecting(self, now: datetime.datetime | None = None) -> bool:
        """Taking signatures at `now` (a threshold-reached petition keeps collecting until
        the collection ends, as in UK e-petitions)."""
        now = now or timezone.now()
        if self.state not in COLLECTING_STATES or self.hidden_at is not None:
            return False
        if self.collection_closes_at is None or self.collection_closes_at <= now:
            return False
        return not (self.state == PetitionState.PUBLISHED and self.support_deadline < now)

    @property
    def is_listed(self) -> bool:
        return self.state in LISTED_STATES and self.hidden_at is None

    @property
    def rejection_is_public(self) -> bool:
        return self.rejection_reason_id is not None and self.rejection_reason.public

    @property
    def progress_percent(self) -> int:
        """0-100, for the progress bar."""
        if not self.threshold:
            return 0
        return min(100, self.signature_count * 100 // self.threshold)


def _attachment_path(instance: PetitionAttachment, filename: str) -> str:
    return f"petitions/{instance.petition_id}/{filename}"


class PetitionAttachment(models.Model):
    """A document the author attaches (PDF, DOCX, JPEG, PNG; checked by `ashyq.uploads`)."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")
        ordering = ["petition", "pk"]

    def __str__(self) -> str:
        return self.name


# --- signatures ----------------------------------------------------------------------------


class InvalidationKind(models.TextChoices):
    IP = "ip", _("by IP address")
    DOMAIN = "domain", _("by email domain")
    TIME_RANGE = "time_range", _("by time range")


class Invalidation(models.Model):
    """One moderator's bulk invalidation of a petition's signatures (anti-abuse). The
    signatures stay, marked with this batch, and stop counting."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="invalidations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InvalidationKind.choices)
    value = models.CharField(_("IP address or domain"), max_length=255, blank=True)
    from_at = models.DateTimeField(_("signed from"), null=True, blank=True)
    to_at = models.DateTimeField(_("signed until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("signatures invalidated"), default=0)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature invalidation")
        verbose_name_plural = _("signature invalidations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="petitions_invalidation_reason"),
            models.CheckConstraint(
                condition=Q(kind=InvalidationKind.TIME_RANGE) | ~Q(value=""),
                name="petitions_invalidation_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(kind=InvalidationKind.TIME_RANGE)
                | Q(from_at__isnull=False, to_at__isnull=False),
                name="petitions_invalidation_range_bounds",
            ),
            models.CheckConstraint(
                condition=Q(from_at__isnull=True)
                | Q(to_at__isnull=True)
                | Q(to_at__gt=F("from_at")),
                name="petitions_invalidation_range_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} ({self.count})"


class SignatureQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(withdrawn_at__isnull=True, invalidated_at__isnull=True)

    def active(self):
        """Not withdrawn (an invalidated signature is still active: it blocks re-signing)."""
        return self.filter(withdrawn_at__isnull=True)


class Signature(models.Model):
    """One person's support. At most one active (not withdrawn) signature per person and
    petition, by a partial unique index; withdrawing and signing again makes a new row.
    An invalidated signature stays active, so it still blocks signing again."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="petition_signatures",
    )
    created_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    email_domain = models.CharField(_("email domain"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    wants_updates = models.BooleanField(_("wants the response by email"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    invalidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invalidated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invalidation_reason = models.TextField(_("invalidation reason"), blank=True)
    invalidation_batch = models.ForeignKey(
        Invalidation,
        verbose_name=_("invalidation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["petition", "-created_at"], name="petitions_sig_petition_time"),
            models.Index(fields=["created_at", "ip"], name="petitions_sig_time_ip"),
            models.Index(fields=["created_at", "email_domain"], name="petitions_sig_time_domain"),
            models.Index(fields=["user", "-created_at"], name="petitions_sig_user_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "user"],
                condition=Q(withdrawn_at__isnull=True),
                name="petitions_one_active_signature",
                violation_error_message=_("You have already signed this petition."),
            ),
            models.CheckConstraint(
                condition=Q(invalidated_at__isnull=True) | ~Q(invalidation_reason=""),
                name="petitions_invalidation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(email_domain=Lower("email_domain")),
                name="petitions_email_domain_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.petition_id}"

    @property
    def is_counted(self) -> bool:
        return self.withdrawn_at is None and self.invalidated_at is None


class RegionCount(models.Model):
    """Counted signatures of a petition per signer region ("" = not given), kept in step
    with each signature by `F()` updates: the region chart reads ~20 rows, never the
    signatures."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="region_counts"
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    count = models.PositiveIntegerField(_("signatures"), default=0)

    class Meta:
        verbose_name = _("signatures by region")
        verbose_name_plural = _("signatures by region")
        ordering = ["petition", "-count", "region"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "region"], name="petitions_region_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.region or '-'}: {self.count}"


# --- response ------------------------------------------------------------------------------


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTIALLY = "partially", _("partially accepted")
    REJECTED = "rejected", _("not accepted")
    UNDER_CONSIDERATION = "under_consideration", _("under further consideration")


class PetitionResponse(models.Model):
    """The addressee's published answer, once the petition reached its threshold."""

    petition = models.OneToOneField(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="response"
    )
    text = models.TextField(_("response"), max_length=RESPONSE_MAX)
    decision = models.CharField(_("decision"), max_length=24, choices=ResponseDecision.choices)
    hearing_date = models.DateField(_("public hearing date"), null=True, blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("petition response")
        verbose_name_plural = _("petition responses")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="petitions_response_has_text"),
            models.CheckConstraint(
                condition=Q(decision__in=ResponseDecision.values),
                name="petitions_response_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.petition}"


def _response_attachment_path(instance: ResponseAttachment, filename: str) -> str:
    return f"petitions/responses/{instance.response_id}/{filename}"


class ResponseAttachment(models.Model):
    response = models.ForeignKey(
        PetitionResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_response_attachment_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response attachment")
        verbose_name_plural = _("response attachments")
        ordering = ["response", "pk"]

    def __str__(self) -> str:
        return self.name
