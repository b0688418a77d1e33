"""Watches and their alerts: what matches, who is told (once), who is not."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from notifications import services as notifications
from notifications.models import Notification, RecipientSettings
from tests.factories import OrganisationFactory
from tracking.models import Obligation
from tracking.services import (
    obligation_acknowledge,
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_redirect,
)
from tracking.signals import obligation_event
from tracking.watchlists import services
from tracking.watchlists.models import ANSWERED, OVERDUE, OverdueAlert, Watch
from tracking.watchlists.services import (
    WatchError,
    event_alerts_send,
    overdue_alerts_send,
    watch_add,
    watch_remove,
)

from .conftest import PETITION, QUESTION, at, deliver

pytestmark = pytest.mark.django_db
D = datetime.date


def alerts(user, kind=None):
    rows = Notification.objects.filter(recipient=user, kind__startswith="watch_")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("pk"))


@pytest.fixture
def opened(subject, justice):
    """A question to the Ministry of Justice, published Wednesday 18 March 2026, due
    Monday 13 April 2026."""
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        return obligation_open(subject=subject, agency=justice, kind=QUESTION)


# --- Watches -------------------------------------------------------------------------------


def test_watch_add_keeps_agency_kind_events_and_name(make_watcher, justice, english):
    user = make_watcher()
    watch = watch_add(user=user, agency=justice, kind=QUESTION, events=[ANSWERED], name="Mine")
    assert (watch.agency, watch.kind, watch.name) == (justice, QUESTION, "Mine")
    assert watch.events == [ANSWERED]
    assert watch.on_overdue is False
    unnamed = watch_add(user=user, agency=justice)
    assert unnamed.label == "Ministry of Justice"
    assert unnamed.events == ["answered", "extended", "redirected", "overdue"]


@pytest.mark.parametrize(
    ("arguments", "message", "field"),
    [
        ({}, "Choose an agency, a kind of obligation, or both.", None),
        ({"kind": "no.such.kind"}, "Choose a kind of obligation from the list.", "kind"),
        ({"kind": QUESTION, "events": []}, "Choose at least one event", "events"),
        ({"kind": QUESTION, "events": ["rated"]}, "Choose events from the list.", "events"),
        ({"kind": QUESTION, "name": "x" * 121}, "The name is too long.", "name"),
    ],
)
def test_watch_add_refuses_bad_input(make_watcher, english, arguments, message, field):
    with pytest.raises(WatchError, match=message) as refused:
        watch_add(user=make_watcher(), **arguments)
    assert refused.value.field == field
    assert not Watch.objects.exists()


def test_watch_add_refuses_a_duplicate_and_an_inactive_agency(make_watcher, justice, english):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    with pytest.raises(WatchError, match="You already watch this."):
        watch_add(user=user, agency=justice, events=[OVERDUE])
    watch_add(user=user, kind=QUESTION)
    with pytest.raises(WatchError, match="You already watch this."):
        watch_add(user=user, kind=QUESTION)
    justice.is_active = False
    justice.save(update_fields=["is_active"])
    with pytest.raises(WatchError, match="no longer active"):
        watch_add(user=user, agency=justice, kind=QUESTION)
    assert Watch.objects.filter(user=user).count() == 2


def test_the_database_refuses_what_the_service_refuses(make_watcher, justice):
    from django.db import IntegrityError, transaction

    user = make_watcher()
    for fields in (
        {},
        {
            "kind": QUESTION,
            "on_answered": False,
            "on_extended": False,
            "on_redirected": False,
            "on_overdue": False,
        },
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Watch.objects.create(user=user, **fields)
    Watch.objects.create(user=user, kind=QUESTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.create(user=user, kind=QUESTION)  # NULL agency: still one per kind
    Watch.objects.create(user=user, agency=justice, kind=QUESTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Watch.objects.create(user=user, agency=justice, kind=QUESTION)


def test_watch_add_remembers_the_language_for_alerts(make_watcher, justice):
    user = make_watcher()
    with translation.override("ru"):
        watch_add(user=user, agency=justice)
    with translation.override("en"):
        watch_add(user=user, kind=QUESTION)
    assert RecipientSettings.objects.get(user=user).language == "ru"


def test_watch_remove_removes_only_ones_own(make_watcher, justice):
    owner, other = make_watcher(), make_watcher()
    watch = watch_add(user=owner, agency=justice)
    assert watch_remove(user=other, watch_id=watch.pk) is False
    assert Watch.objects.filter(pk=watch.pk).exists()
    assert watch_remove(user=owner, watch_id=watch.pk) is True
    assert not Watch.objects.filter(pk=watch.pk).exists()


# --- Alerts on ledger events ----------------------------------------------------------------


def test_an_answer_tells_the_agency_and_kind_watchers_only(
    opened, make_watcher, justice, education, english
):
    by_agency, by_kind, by_both, elsewhere, other_kind, not_answers = (
        make_watcher() for _ in range(6)
    )
    watch_add(user=by_agency, agency=justice)
    watch_add(user=by_kind, kind=QUESTION)
    watch_add(user=by_both, agency=justice, kind=QUESTION)
    watch_add(user=elsewhere, agency=education)
    watch_add(user=other_kind, kind=PETITION)
    watch_add(user=not_answers, agency=justice, events=[OVERDUE])

    obligation_fulfil(obligation=opened, actor=None)
    deliver(opened)

    for user in (by_agency, by_kind, by_both):
        (alert,) = alerts(user)
        assert alert.kind == "watch_answered"
        assert alert.title == "Where is the new school?"
        assert alert.url == "/organisations/new-school/"
        assert alert.body == "Ministry of Justice has given its answer."
        assert alert.data["obligation"] == opened.pk
        assert alert.data["agencies"] == [justice.pk]
        assert alert.channel == "digest"
    for user in (elsewhere, other_kind, not_answers):
        assert alerts(user) == []


def test_one_alert_per_person_however_many_watches_match(opened, make_watcher, justice):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    watch_add(user=user, kind=QUESTION)
    watch_add(user=user, agency=justice, kind=QUESTION)
    obligation_fulfil(obligation=opened, actor=None)
    deliver(opened)
    assert len(alerts(user)) == 1


def test_nobody_is_told_of_their_own_action(opened, make_watcher, justice):
    official, observer = make_watcher(), make_watcher()
    watch_add(user=official, agency=justice)
    watch_add(user=observer, agency=justice)
    obligation_fulfil(obligation=opened, actor=official)
    deliver(opened, actor=official)
    assert alerts(official) == []
    assert len(alerts(observer)) == 1


def test_followers_of_the_subject_hear_it_from_the_ledger_not_twice(
    opened, subject, make_watcher, justice
):
    follower = make_watcher()
    notifications.follow(user=follower, target=subject)
    watch_add(user=follower, agency=justice)
    obligation_fulfil(obligation=opened, actor=None)
    deliver(opened)
    assert alerts(follower) == []  # obligation_answered, from the ledger, tells them


def test_a_redirect_tells_watchers_of_both_agencies(opened, make_watcher, justice, education):
    with translation.override("en"):
        old, new, both = make_watcher(), make_watcher(), make_watcher()
        notifications.recipient_language_set(user=old, language="en")
    watch_add(user=old, agency=justice)
    watch_add(user=new, agency=education)
    watch_add(user=both, agency=justice)
    watch_add(user=both, agency=education)
    with time_machine.travel(at(2026, 3, 19, 12), tick=False):
        obligation_redirect(
            obligation=opened, to_agency=education, reason="Schools are ours", actor=None
        )
        deliver(opened)
    for user in (old, new, both):
        (alert,) = alerts(user)
        assert alert.kind == "watch_redirected"
        assert set(alert.data["agencies"]) == {justice.pk, education.pk}
    assert alerts(old)[0].body == (
        "Ministry of Justice sent it on to Ministry of Education, which must answer by "
        "April 14, 2026."
    )


def test_alerts_are_written_in_each_persons_language(opened, make_watcher, justice):
    russian, english_reader = make_watcher(), make_watcher()
    with translation.override("ru"):
        watch_add(user=russian, agency=justice)
    with translation.override("en"):
        watch_add(user=english_reader, agency=justice)
    with time_machine.travel(at(2026, 3, 20, 12), tick=False):
        obligation_extend(
            obligation=opened, new_due_date=D(2026, 5, 8), reason="Expert review", actor=None
        )
        deliver(opened)
    (in_russian,) = alerts(russian)
    (in_english,) = alerts(english_reader)
    assert in_russian.language == "ru" and "Министерство юстиции" in in_russian.body
    assert in_english.body == (
        "Ministry of Justice extended the deadline for its answer to May 8, 2026."
    )


def test_events_without_alerts_tell_nobody(opened, make_watcher, justice):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    deliver(opened)  # "opened"
    obligation_acknowledge(obligation=opened, actor=None)
    deliver(opened)  # "acknowledged"
    assert alerts(user) == []


def test_the_receiver_listens_to_the_ledger_signal(opened, make_watcher, justice):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    obligation_fulfil(obligation=opened, actor=None)
    event = opened.events.get(kind="answered")
    obligation_event.send(sender=Obligation, obligation=opened, event=event, actor=None)
    assert len(alerts(user)) == 1


def test_a_failing_alert_does_not_break_the_sender(
    opened, make_watcher, justice, monkeypatch, caplog
):
    watch_add(user=make_watcher(), agency=justice)
    obligation_fulfil(obligation=opened, actor=None)

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(services, "event_alerts_send", broken)
    deliver(opened)  # does not raise
    assert "Watchlist alerts for obligation event" in caplog.text


def test_immediate_email_goes_through_the_notifications_mailer(
    opened, make_watcher, justice, django_capture_on_commit_callbacks
):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    notifications.preference_set(user=user, kind="watch_answered", channel="immediate")
    obligation_fulfil(obligation=opened, actor=None)
    event = opened.events.get(kind="answered")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_alerts_send(obligation=opened, event=event) == 1
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Where is the new school?" in mail.outbox[0].body


# --- Alerts on becoming overdue ----------------------------------------------------------------


def test_overdue_alerts_once_per_obligation_and_person(opened, subject, make_watcher, justice):
    watcher, follower, both, uninterested = (make_watcher() for _ in range(4))
    watch_add(user=watcher, agency=justice)
    watch_add(user=watcher, kind=QUESTION)  # a second matching watch: still one alert
    notifications.follow(user=follower, target=subject)
    notifications.follow(user=both, target=subject)
    watch_add(user=both, agency=justice)
    watch_add(user=uninterested, agency=justice, events=[ANSWERED])

    assert overdue_alerts_send(now=at(2026, 4, 13, 20)).obligations == 0  # due by 23:59
    run = overdue_alerts_send(now=at(2026, 4, 14, 9))
    assert (run.obligations, run.notifications) == (1, 3)
    for user in (watcher, follower, both):
        (alert,) = alerts(user)
        assert alert.kind == "watch_overdue"
        assert alert.title == "Where is the new school?"
        assert alert.data == {
            "obligation": opened.pk,
            "event": "overdue",
            "kind": QUESTION,
            "agencies": [justice.pk],
        }
    assert alerts(uninterested) == []
    # Written in the person's language (the platform's default, Kazakh, here).
    assert alerts(watcher)[0].language == "kk"
    assert alerts(watcher)[0].body.startswith("Әділет министрлігі")

    again = overdue_alerts_send(now=at(2026, 4, 15, 9))
    assert (again.obligations, again.notifications) == (0, 0)
    assert OverdueAlert.objects.get().obligation_id == opened.pk


def test_first_run_announces_only_the_last_few_days(make_watcher, justice):
    watcher = make_watcher()
    watch_add(user=watcher, agency=justice)
    old, recent = OrganisationFactory(name="Old"), OrganisationFactory(name="Recent")
    with time_machine.travel(at(2026, 1, 20, 11), tick=False):
        obligation_open(subject=old, agency=justice, kind=QUESTION)  # due 10 February
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        obligation_open(subject=recent, agency=justice, kind=QUESTION)  # due 13 April

    run = overdue_alerts_send(now=at(2026, 4, 15, 9))
    assert run.obligations == 1
    assert [alert.title for alert in alerts(watcher)] == ["Recent"]
    # The old one is never announced: later runs look back to the last run only.
    assert overdue_alerts_send(now=at(2026, 4, 16, 9)).obligations == 0
    assert [alert.title for alert in alerts(watcher)] == ["Recent"]


def test_later_runs_catch_up_on_what_became_overdue_since_the_last_run(
    opened, make_watcher, justice, settings
):
    settings.WATCHLISTS_OVERDUE_WINDOW_DAYS = 3
    watcher = make_watcher()
    watch_add(user=watcher, agency=justice)
    overdue_alerts_send(now=at(2026, 4, 1, 9))  # nothing yet; no record of the run
    assert overdue_alerts_send(now=at(2026, 4, 14, 9)).obligations == 1  # a first run
    later = OrganisationFactory(name="Later")
    with time_machine.travel(at(2026, 3, 25, 11), tick=False):
        obligation_open(subject=later, agency=justice, kind=QUESTION)  # due 16 April
    # The job did not run for two weeks: what became overdue meanwhile is still announced.
    assert overdue_alerts_send(now=at(2026, 4, 30, 9)).obligations == 1
    assert [alert.title for alert in alerts(watcher)] == ["Where is the new school?", "Later"]


def test_answered_and_withdrawn_obligations_are_not_overdue(opened, make_watcher, justice):
    watcher = make_watcher()
    watch_add(user=watcher, agency=justice)
    with time_machine.travel(at(2026, 4, 10, 11), tick=False):
        obligation_fulfil(obligation=opened, actor=None)
    assert overdue_alerts_send(now=at(2026, 4, 14, 9)).obligations == 0
    assert alerts(watcher, "watch_overdue") == []


def test_overdue_matches_the_current_agency_after_a_redirect(
    opened, make_watcher, justice, education
):
    old, new = make_watcher(), make_watcher()
    watch_add(user=old, agency=justice)
    watch_add(user=new, agency=education)
    with time_machine.travel(at(2026, 3, 19, 12), tick=False):
        obligation_redirect(obligation=opened, to_agency=education, reason="Ours", actor=None)
    opened.refresh_from_db()
    run = overdue_alerts_send(now=opened.due_at + datetime.timedelta(hours=1))
    assert run.notifications == 1
    assert alerts(old) == [] and len(alerts(new)) == 1


def test_inactive_people_are_not_told(opened, make_watcher, justice):
    gone = make_watcher()
    watch_add(user=gone, agency=justice)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    run = overdue_alerts_send(now=at(2026, 4, 14, 9))
    assert (run.obligations, run.notifications) == (1, 0)


def test_alerts_by_watch_shows_each_watch_what_it_caused(opened, make_watcher, justice, education):
    user = make_watcher()
    on_justice = watch_add(user=user, agency=justice)
    on_education = watch_add(user=user, agency=education)
    on_questions = watch_add(user=user, kind=QUESTION, events=[ANSWERED])
    overdue_alerts_send(now=at(2026, 4, 14, 9))
    by_watch = services.alerts_by_watch(
        list(services.watches_of(user)), services.recent_alerts(user)
    )
    assert len(by_watch[on_justice.pk]) == 1
    assert by_watch[on_education.pk] == []
    assert by_watch[on_questions.pk] == []  # watches answers only


def test_personal_data_exports_and_erases_watches(make_watcher, justice):
    from accounts import personal_data

    user = make_watcher()
    watch_add(user=user, agency=justice, kind=QUESTION, events=[OVERDUE], name="Late")
    exported = personal_data.export_for(user)["watches"]
    assert exported == [
        {
            "name": "Late",
            "agency": "ministry-of-justice",
            "kind": QUESTION,
            "events": ["overdue"],
            "created_at": exported[0]["created_at"],
        }
    ]
    section = next(s for s in personal_data.sections() if s.key == "watches")
    section.erase(user)
    assert not Watch.objects.filter(user=user).exists()


def test_the_ledger_announces_its_events_after_commit(
    opened, subject, make_watcher, justice, django_capture_on_commit_callbacks
):
    """End to end through the ledger's own signal: the watcher hears from the watchlist,
    the subject's follower from the ledger, each once."""
    watcher, follower, official = make_watcher(), make_watcher(), make_watcher()
    watch_add(user=watcher, agency=justice)
    watch_add(user=follower, agency=justice)
    watch_add(user=official, agency=justice)
    notifications.follow(user=follower, target=subject)
    with django_capture_on_commit_callbacks(execute=True):
        obligation_fulfil(obligation=opened, actor=official)
    assert [n.kind for n in Notification.objects.filter(recipient=watcher)] == ["watch_answered"]
    assert [n.kind for n in Notification.objects.filter(recipient=follower)] == [
        "obligation_answered"
    ]
    assert not Notification.objects.filter(recipient=official).exists()
