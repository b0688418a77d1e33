"""The scheduled overdue scan: the management command and the task, thin and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from notifications import services as notifications
from notifications.models import Notification
from tracking.services import obligation_open
from tracking.watchlists.services import watch_add
from tracking.watchlists.tasks import send_overdue_alerts

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_question(subject, justice):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        return obligation_open(subject=subject, agency=justice, kind=QUESTION)


def test_command_reports_and_runs_once(overdue_question, make_watcher, justice):
    watch_add(user=make_watcher(), agency=justice)
    out = StringIO()
    with time_machine.travel(at(2026, 4, 14, 9), tick=False):
        call_command("watchlists_overdue", stdout=out)
        call_command("watchlists_overdue", "-v", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "1 newly overdue obligation(s), 1 alert(s) sent."
    assert lines[-1] == "0 newly overdue obligation(s), 0 alert(s) sent."
    assert Notification.objects.filter(kind="watch_overdue").count() == 1


def test_task_sends_and_immediate_email_uses_the_notifications_mailer(
    overdue_question, make_watcher, justice, django_capture_on_commit_callbacks
):
    user = make_watcher()
    watch_add(user=user, agency=justice)
    notifications.preference_set(user=user, kind="watch_overdue", channel="immediate")
    with (
        time_machine.travel(at(2026, 4, 14, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_overdue_alerts.enqueue()
    assert result.return_value == 1
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Where is the new school?" in mail.outbox[0].body
