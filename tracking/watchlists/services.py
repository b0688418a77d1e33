"""Watches, and the alerts sent to the people who keep them.

Two sources of alerts:

- **Events of the ledger** (answered, extended, redirected): `tracking.signals.
  obligation_event` is sent after commit for each event; `event_alerts_send` tells every
  person with a matching watch. A redirect matches the agency it left and the one it went
  to. People who follow the obligation's subject (the asker, followers of a petition) are
  left out: the ledger tells them itself, so nobody hears of one event twice.
- **Becoming overdue** has no event (overdue is derived from dates): `overdue_alerts_send`
  runs on a schedule, finds the obligations that became overdue since the last run and
  tells the watchers and the subject's followers, once per obligation (`OverdueAlert`).

Alerts go through the notifications app (in-app always; email at once or in the daily
digest, as each person chose for the kind). The person who acted is never told of their
own action.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency
from ashyq.live import live_notify_user
from notifications import registry as notification_registry
from notifications import services as notifications
from notifications.models import Follow, Notification, RecipientSettings
from notifications.registry import IMMEDIATE, OFF
from tracking import calendar, kinds
from tracking.models import Obligation, ObligationEvent

from .models import (
    ANSWERED,
    EVENTS,
    EXTENDED,
    OVERDUE,
    REDIRECTED,
    OverdueAlert,
    Watch,
    event_field,
)

logger = logging.getLogger(__name__)

# Notification kinds, one per event, so people choose email per event on the settings page.
KIND_OF_EVENT = {
    ANSWERED: "watch_answered",
    EXTENDED: "watch_extended",
    REDIRECTED: "watch_redirected",
    OVERDUE: "watch_overdue",
}
ALERT_KINDS = {
    KIND_OF_EVENT[ANSWERED]: gettext_lazy("Watchlist: an agency gave its answer"),
    KIND_OF_EVENT[EXTENDED]: gettext_lazy("Watchlist: an agency extended a deadline"),
    KIND_OF_EVENT[REDIRECTED]: gettext_lazy("Watchlist: sent on to another agency"),
    KIND_OF_EVENT[OVERDUE]: gettext_lazy("Watchlist: an answer is overdue"),
}
EVENT_OF_KIND = {kind: event for event, kind in KIND_OF_EVENT.items()}
LEDGER_EVENTS = {
    ObligationEvent.Kind.ANSWERED: ANSWERED,
    ObligationEvent.Kind.EXTENDED: EXTENDED,
    ObligationEvent.Kind.REDIRECTED: REDIRECTED,
}

MAX_WATCHES = 200
# Obligations handled per round of the overdue scan: one round costs a fixed number of
# queries, whatever the number of watchers and obligations in it.
OVERDUE_CHUNK = 400


class WatchError(Exception):
    """A refused change to a watchlist. `str(error)` is translated and fit to show;
    `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- Watches ------------------------------------------------------------------------------


@transaction.atomic
def watch_add(
    *,
    user,
    agency: Agency | None = None,
    kind: str = "",
    events: Iterable[str] = EVENTS,
    name: str = "",
) -> Watch:
    """Start watching an agency, a kind of obligation, or both, for the given events."""
    kind = (kind or "").strip()
    name = (name or "").strip()
    events = set(events)
    if agency is None and not kind:
        raise WatchError(_("Choose an agency, a kind of obligation, or both."))
    if agency is not None and not agency.is_active:
        raise WatchError(_("This agency is no longer active."), field="agency")
    if kind and kinds.get(kind) is None:
        raise WatchError(_("Choose a kind of obligation from the list."), field="kind")
    if not events:
        raise WatchError(_("Choose at least one event to be told of."), field="events")
    unknown = events - set(EVENTS)
    if unknown:
        raise WatchError(_("Choose events from the list."), field="events")
    if len(name) > Watch._meta.get_field("name").max_length:
        raise WatchError(_("The name is too long."), field="name")
    if Watch.objects.filter(user=user).count() >= MAX_WATCHES:
        raise WatchError(
            _("You can keep at most %(count)d watches. Remove one first.") % {"count": MAX_WATCHES}
        )
    if Watch.objects.filter(user=user, agency=agency, kind=kind).exists():
        raise WatchError(_("You already watch this."))
    _remember_language(user)
    watch = Watch(user=user, agency=agency, kind=kind, name=name)
    for event in EVENTS:
        setattr(watch, event_field(event), event in events)
    try:
        with transaction.atomic():
            watch.save()
    except IntegrityError:  # a concurrent request added the same watch
        raise WatchError(_("You already watch this.")) from None
    return watch


@transaction.atomic
def watch_remove(*, user, watch_id: int) -> bool:
    """Stop watching. Only the owner's own watches; False when there was nothing to remove."""
    deleted, _rows = Watch.objects.filter(user=user, pk=watch_id).delete()
    return bool(deleted)


def watch_for_agency(*, user, agency: Agency) -> Watch | None:
    """The person's plain watch of an agency (any kind), for the "Watch this agency" button."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Watch.objects.filter(user=user, agency=agency, kind="").first()


def watches_of(user) -> models.QuerySet:
    return Watch.objects.filter(user=user).select_related("agency")


def recent_alerts(user, *, limit: int = 50) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, kind__in=list(ALERT_KINDS)).only(
            "pk", "kind", "title", "body", "url", "data", "created_at", "read_at", "recipient_id"
        )[:limit]
    )


def alerts_by_watch(
    watches: list[Watch], alerts: list[Notification], *, per_watch: int = 5
) -> dict[int, list[Notification]]:
    """The recent alerts each watch would have caused (from what each alert recorded)."""
    result: dict[int, list[Notification]] = {watch.pk: [] for watch in watches}
    for alert in alerts:
        event = EVENT_OF_KIND.get(alert.kind)
        agency_ids = set(alert.data.get("agencies") or [])
        kind = alert.data.get("kind", "")
        for watch in watches:
            found = result[watch.pk]
            if (
                event
                and len(found) < per_watch
                and watch.matches(agency_ids=agency_ids, kind=kind, event=event)
            ):
                found.append(alert)
    return result


def _remember_language(user) -> None:
    """Alerts are written in the language the person used when they first asked for them
    (the same rule as following something)."""
    if not RecipientSettings.objects.filter(user=user).exists():
        notifications.recipient_language_set(
            user=user, language=translation.get_language() or settings.LANGUAGE_CODE
        )


# --- Texts --------------------------------------------------------------------------------


def _lazy_name(agency: Agency | None):
    """The agency's name in whatever language is active when the text is rendered."""
    return lazy(lambda: agency.name if agency is not None else "", str)()


def _lazy_date(moment: datetime.datetime | None):
    day = calendar.local_date(moment) if moment else None
    return lazy(lambda: formats.date_format(day, "DATE_FORMAT") if day else "", str)()


def _body(event: str, obligation: Obligation, agencies: dict[int, Agency], data: dict) -> Any:
    agency = agencies.get(obligation.agency_id)
    if event == ANSWERED:
        return format_lazy(
            gettext_lazy("{agency} has given its answer."), agency=_lazy_name(agency)
        )
    if event == EXTENDED:
        return format_lazy(
            gettext_lazy("{agency} extended the deadline for its answer to {date}."),
            agency=_lazy_name(agency),
            date=_lazy_date(obligation.due_at),
        )
    if event == REDIRECTED:
        previous = agencies.get(data.get("from_agency_id"))
        return format_lazy(
            gettext_lazy("{from_agency} sent it on to {to_agency}, which must answer by {date}."),
            from_agency=_lazy_name(previous),
            to_agency=_lazy_name(agency),
            date=_lazy_date(obligation.due_at),
        )
    return format_lazy(
        gettext_lazy("{agency} was due to answer by {date} and has not answered yet."),
        agency=_lazy_name(agency),
        date=_lazy_date(obligation.due_at),
    )


def _title_and_url(obligation: Obligation, subject: Any) -> tuple[Any, str]:
    """The subject's title and link, through the kind's registration (the kind's label
    when the subject is gone)."""
    title = kinds.title_of(obligation.kind, subject)
    if not title:
        obligation_kind = kinds.get(obligation.kind)
        title = obligation_kind.label if obligation_kind else obligation.kind
    return title, kinds.url_of(obligation.kind, subject)


def _alert_data(obligation: Obligation, event: str, agency_ids: Iterable[int]) -> dict:
    """What an alert records, so the watchlist page can tell which watch it answered."""
    return {
        "obligation": obligation.pk,
        "event": event,
        "kind": obligation.kind,
        "agencies": sorted(set(agency_ids)),
    }


# --- Alerts on ledger events -----------------------------------------------------------------


def obligation_event_received(sender, *, obligation, event, actor=None, **kwargs) -> None:
    """Receiver of `tracking.signals.obligation_event` (sent after commit). An alert that
    fails is logged, never raised: the change it reports has already been saved."""
    if event.kind not in LEDGER_EVENTS:
        return
    try:
        event_alerts_send(obligation=obligation, event=event, actor=actor)
    except Exception:
        logger.exception("Watchlist alerts for obligation event %s failed", event.pk)


def _matching_watches(*, event: str, agency_ids: Iterable[int], kind: str) -> models.QuerySet:
    return Watch.objects.filter(**{event_field(event): True}).filter(
        Q(agency__isnull=True) | Q(agency_id__in=list(agency_ids)),
        Q(kind="") | Q(kind=kind),
    )


def event_alerts_send(*, obligation: Obligation, event: ObligationEvent, actor: Any = None) -> int:
    """Tell the watchers of an answered, extended or redirected obligation. Returns how many
    were told. Costs a handful of queries whatever the number of watchers."""
    name = LEDGER_EVENTS.get(event.kind)
    if name is None:
        return 0
    agency_ids = {obligation.agency_id}
    data: dict[str, Any] = {}
    if name == REDIRECTED:
        slugs = [event.data.get("from_agency"), event.data.get("to_agency")]
        found = {a.slug: a for a in Agency.objects.filter(slug__in=[s for s in slugs if s])}
        previous = found.get(event.data.get("from_agency"))
        if previous is not None:
            agency_ids.add(previous.pk)
            data["from_agency_id"] = previous.pk
        agencies = {a.pk: a for a in found.values()}
        if obligation.agency_id not in agencies:
            agencies[obligation.agency_id] = obligation.agency
    else:
        agencies = {obligation.agency_id: obligation.agency}

    watching = _matching_watches(event=name, agency_ids=agency_ids, kind=obligation.kind)
    recipients = get_user_model().objects.filter(Exists(watching.filter(user=OuterRef("pk"))))
    obligation_kind = kinds.get(obligation.kind)
    subject = obligation.subject
    if obligation_kind is not None and obligation_kind.notifies:
        # The ledger tells the subject's followers and the kind's recipients itself.
        recipients = recipients.exclude(
            Exists(
                Follow.objects.filter(
                    user=OuterRef("pk"),
                    content_type_id=obligation.content_type_id,
                    object_id=obligation.object_id,
                )
            )
        )
        if subject is not None and obligation_kind.recipients_of is not None:
            told = [
                getattr(r, "pk", r) for r in obligation_kind.recipients_of(subject) if r is not None
            ]
            recipients = recipients.exclude(pk__in=told)
    title, url = _title_and_url(obligation, subject)
    return notifications.notify(
        recipients=recipients,
        kind=KIND_OF_EVENT[name],
        target=subject,
        actor=actor if getattr(actor, "pk", None) else None,
        title=title,
        url=url,
        body=_body(name, obligation, agencies, data),
        data=_alert_data(obligation, name, agency_ids),
    )


# --- Alerts on becoming overdue ---------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRun:
    obligations: int  # obligations found newly overdue (each announced once, ever)
    notifications: int  # alerts written


def overdue_window() -> datetime.timedelta:
    """How far back a run looks at least (and the only look back on the very first run, so
    a fresh install does not announce years of history)."""
    return datetime.timedelta(days=getattr(settings, "WATCHLISTS_OVERDUE_WINDOW_DAYS", 3))


def overdue_alerts_send(
    *,
    now: datetime.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> OverdueRun:
    """Announce the obligations that became overdue since the last run, once each, to every
    person whose watch matches and to the followers of their subject; one alert per person
    per obligation however many of their watches match. Idempotent: run it hourly or daily.

    Looks back to the last run (the latest `OverdueAlert`) or `overdue_window()`, whichever
    is earlier; on the first run only `overdue_window()`. Works in rounds of OVERDUE_CHUNK
    obligations, each a fixed number of queries."""
    now = now or timezone.now()
    last = OverdueAlert.objects.aggregate(last=Max("sent_at"))["last"]
    since = now - overdue_window()
    if last is not None:
        since = min(since, last)
    candidates = (
        Obligation.objects.overdue(now)
        .filter(due_at__gte=since)
        .exclude(Exists(OverdueAlert.objects.filter(obligation=OuterRef("pk"))))
        .select_related("agency")
        .order_by("due_at", "pk")
    )
    found = written = 0
    while True:
        with transaction.atomic():
            chunk = list(candidates[:OVERDUE_CHUNK])
            if not chunk:
                break
            claimed = _claim(chunk, now)
            if claimed:
                written += _announce_overdue(claimed)
            found += len(claimed)
        if progress is not None:
            progress(found)
        if len(chunk) < OVERDUE_CHUNK:
            break
    return OverdueRun(obligations=found, notifications=written)


def _claim(chunk: list[Obligation], now: datetime.datetime) -> list[Obligation]:
    """Record the obligations as announced; keep those this run recorded (a concurrent run
    that got there first keeps its own)."""
    OverdueAlert.objects.bulk_create(
        [OverdueAlert(obligation_id=o.pk, sent_at=now) for o in chunk], ignore_conflicts=True
    )
    mine = set(
        OverdueAlert.objects.filter(
            obligation_id__in=[o.pk for o in chunk], sent_at=now
        ).values_list("obligation_id", flat=True)
    )
    return [o for o in chunk if o.pk in mine]


def _announce_overdue(obligations: list[Obligation]) -> int:
    # Who watches: one query for all the watches that match any obligation of the round.
    agency_ids = sorted({o.agency_id for o in obligations})
    kind_keys = sorted({o.kind for o in obligations})
    by_key: dict[tuple[int | None, str], set[int]] = defaultdict(set)
    for user_id, agency_id, kind in (
        Watch.objects.filter(on_overdue=True)
        .filter(
            Q(agency_id__in=agency_ids, kind="")
            | Q(agency__isnull=True, kind__in=kind_keys)
            | Q(agency_id__in=agency_ids, kind__in=kind_keys)
        )
        .values_list("user_id", "agency_id", "kind")
    ):
        by_key[(agency_id, kind)].add(user_id)

    # Who follows the subjects: one query.
    followers: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, content_type_id, object_id in Follow.objects.filter(
        content_type_id__in=sorted({o.content_type_id for o in obligations}),
        object_id__in=sorted({o.object_id for o in obligations}),
    ).values_list("user_id", "content_type_id", "object_id"):
        followers[(content_type_id, object_id)].add(user_id)

    subjects = _subjects(obligations)
    messages = []
    for obligation in obligations:
        recipients = (
            by_key[(obligation.agency_id, "")]
            | by_key[(None, obligation.kind)]
            | by_key[(obligation.agency_id, obligation.kind)]
            | followers[(obligation.content_type_id, obligation.object_id)]
        )
        if not recipients:
            continue
        subject = subjects.get((obligation.content_type_id, obligation.object_id))
        title, url = _title_and_url(obligation, subject)
        messages.append(
            _Message(
                recipient_ids=recipients,
                target_content_type_id=obligation.content_type_id,
                target_object_id=obligation.object_id,
                title=title,
                url=url,
                body=_body(OVERDUE, obligation, {obligation.agency_id: obligation.agency}, {}),
                data=_alert_data(obligation, OVERDUE, [obligation.agency_id]),
            )
        )
    return _notify_many(kind=KIND_OF_EVENT[OVERDUE], messages=messages)


def _subjects(obligations: list[Obligation]) -> dict[tuple[int, str], Any]:
    """The subjects, one query per subject type (as the ledger's API loads them)."""
    ids_by_type: dict[int, set[str]] = defaultdict(set)
    for obligation in obligations:
        ids_by_type[obligation.content_type_id].add(obligation.object_id)
    result = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for subject in model._base_manager.filter(pk__in=list(ids)):
            result[(content_type_id, str(subject.pk))] = subject
    return result


@dataclass
class _Message:
    recipient_ids: set[int]
    target_content_type_id: int
    target_object_id: str
    title: Any
    url: Any
    body: Any
    data: dict


def _notify_many(*, kind: str, messages: list[_Message]) -> int:
    """`notifications.services.notify` for many messages at once: the same recipient
    resolution (language, email channel, active accounts only), the same rows, live bell
    and email task, but one query for all recipients and bulk inserts for all messages,
    so a round costs the same however many obligations and watchers it has.

    TODO(lead): a public `notify_many` in notifications.services would replace this."""
    if not messages:
        return 0
    default = notification_registry.get_kind(kind).default
    all_ids = set().union(*(message.recipient_ids for message in messages))
    people = {
        user_id: (language or settings.LANGUAGE_CODE, chosen, master)
        for user_id, language, chosen, master in notifications._recipient_rows(
            sorted(all_ids), kind=kind, exclude_id=None
        )
    }
    rows = []
    for message in messages:
        rendered: dict[str, tuple[str, str, str]] = {}
        for user_id in sorted(message.recipient_ids):
            if user_id not in people:
                continue  # inactive or deleted
            language, chosen, master = people[user_id]
            if language not in rendered:
                with translation.override(language):
                    rendered[language] = (
                        str(message.title)[: notifications.TITLE_MAX],
                        str(message.body),
                        str(message.url)[: notifications.URL_MAX],
                    )
            title, body, url = rendered[language]
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    target_content_type_id=message.target_content_type_id,
                    target_object_id=message.target_object_id,
                    language=language,
                    title=title,
                    body=body,
                    url=url,
                    data=message.data,
                    channel=OFF if master == OFF else (chosen or default),
                )
            )
    if not rows:
        return 0
    # The caller's transaction (one round of the scan) holds the rows, the live pushes and
    # the email task together: nothing is pushed or mailed if the round rolls back.
    created = Notification.objects.bulk_create(rows, batch_size=notifications.BATCH_SIZE)
    for notification in created:
        live_notify_user(
            user_id=notification.recipient_id,
            event=notifications.LIVE_EVENT,
            payload={"kind": kind, "title": notification.title, "url": notification.url},
        )
    immediate = [n.pk for n in created if n.channel == IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: notifications._enqueue_immediate(immediate))
    return len(created)
