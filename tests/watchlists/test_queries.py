"""Query bounds: alerts and the watchlist page cost the same with 5 or 50 watchers and
obligations."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services as notifications
from notifications.models import Notification
from tests.factories import AgencyFactory, OrganisationFactory
from tracking.services import obligation_fulfil, obligation_open
from tracking.watchlists.models import OverdueAlert, Watch
from tracking.watchlists.services import event_alerts_send, overdue_alerts_send, watch_add

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db


def seed(n: int, make_watcher) -> list:
    """n agencies with one question each, due Monday 13 April 2026; watcher i watches
    agency i twice (by agency, and by agency and kind: still one alert). One alert per
    obligation, so that SQLite's insert batches (about 60 rows) do not blur the count."""
    obligations = []
    for _ in range(n):
        agency = AgencyFactory()
        watcher = make_watcher()
        watch_add(user=watcher, agency=agency)
        watch_add(user=watcher, agency=agency, kind=QUESTION)
        subject = OrganisationFactory()
        with time_machine.travel(at(2026, 3, 18, 11), tick=False):
            obligations.append(obligation_open(subject=subject, agency=agency, kind=QUESTION))
    return obligations


def overdue_scan_queries(n: int, make_watcher) -> tuple[int, int]:
    Notification.objects.all().delete()
    OverdueAlert.objects.all().delete()
    Watch.objects.all().delete()
    seed(n, make_watcher)
    with CaptureQueriesContext(connection) as queries:
        run = overdue_alerts_send(now=at(2026, 4, 14, 9))
    assert run.obligations >= n  # the earlier round's obligations are found again
    return len(queries), run.notifications


def test_overdue_scan_costs_the_same_for_5_and_50(make_watcher):
    few, few_sent = overdue_scan_queries(5, make_watcher)
    many, many_sent = overdue_scan_queries(50, make_watcher)
    assert (few_sent, many_sent) == (5, 50)
    assert Notification.objects.filter(kind="watch_overdue").count() == many_sent
    assert few == many, (few, many)
    # The last run, then per round: obligations, claim (2), watches, follows, subjects (one
    # type), recipients, the insert; and the round's savepoints.
    assert many <= 11


def test_event_alert_costs_the_same_for_5_and_50_watchers(make_watcher, justice, subject):
    def cost(n: int) -> int:
        Watch.objects.all().delete()
        for _ in range(n):
            watch_add(user=make_watcher(), agency=justice)
        with time_machine.travel(at(2026, 3, 18, 11), tick=False):
            obligation = obligation_open(subject=subject, agency=justice, kind=QUESTION)
        with time_machine.travel(at(2026, 3, 20, 11), tick=False):
            obligation_fulfil(obligation=obligation, actor=None)
        event = obligation.events.get(kind="answered")
        with CaptureQueriesContext(connection) as queries:
            assert event_alerts_send(obligation=obligation, event=event) == n
        return len(queries)

    assert cost(5) == cost(50)


def test_watchlist_page_costs_the_same_for_5_and_30_watches(client, make_watcher):
    user = make_watcher()
    client.force_login(user)
    client.get("/en/watchlist/")  # warm the caches (site, content types) first

    def cost(n: int) -> int:
        Watch.objects.filter(user=user).delete()
        for _ in range(n):
            agency = AgencyFactory()
            watch_add(user=user, agency=agency)
            notifications.notify(
                recipients=[user],
                kind="watch_overdue",
                title="Late",
                url="/",
                data={"agencies": [agency.pk], "kind": QUESTION, "event": "overdue"},
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/watchlist/")
        assert response.status_code == 200
        assert response.content.decode().count('class="watch-alert"') == n
        return len(queries)

    assert cost(5) == cost(30)
