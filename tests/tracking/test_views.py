"""The public deadline calculator, and the admin screens of the calendar and the ledger."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import PLATFORM_EDITORS
from tests.factories import UserFactory, platform_editor
from tracking.apps import grant_calendar_permissions
from tracking.models import CalendarDay
from tracking.services import obligation_acknowledge, obligation_open

from .conftest import QUESTION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "heading", "holiday"),
    [
        ("kk", None, "Наурыз мейрамы"),
        ("ru", None, None),
        ("en", "Deadline calculator", "Nowruz Holiday"),
    ],
)
def test_calculator_in_each_language(client, lang, heading, holiday):
    response = client.get(f"/{lang}/deadlines/", {"start": "2026-03-18", "rule": "wd15"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert 'id="result-heading"' in html
    assert 'role="region"' in html
    assert "2026" in html and 'id="due-date"' in html
    assert response.context["result"]["due"].isoformat() == "2026-04-13"
    assert response.context["result"]["calendar_days"] == 26
    assert response.context["result"]["working_days"] == 15
    assert len(response.context["result"]["skipped"]) == 11
    if heading:
        assert heading in html
    if holiday:
        assert holiday in html


def test_english_result_names_the_date_and_skipped_days(client):
    html = client.get("/en/deadlines/", {"start": "2026-03-18", "rule": "wd15"}).content.decode()
    assert "due on Monday, April 13, 2026" in html
    assert "That is 26 calendar days after the start date." in html
    assert "Nowruz Holiday (observed)" in html
    assert html.count("<tr>") == 12  # header + 11 skipped days


def test_empty_form_shows_no_result_and_no_error(client):
    response = client.get("/en/deadlines/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<fieldset" in html and "<legend>Period</legend>" in html
    assert 'for="id_start"' in html
    assert 'id="result-heading"' not in html
    assert "errorlist" not in html
    # 15 working days is chosen by default; the others are not.
    assert re.search(r'<input type="radio" name="rule" value="wd15"[^>]* checked>', html)
    assert html.count(" checked>") == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-02-30", "rule": "wd15"}, "Enter a real date"),
        ({"start": "tomorrow", "rule": "wd15"}, "Enter a real date"),
        ({"start": "1900-01-01", "rule": "wd15"}, "Choose a date between"),
        ({"start": "2026-03-18", "rule": "wd999"}, "Choose a period."),
        ({"start": "", "rule": "wd15"}, "Enter the start date."),
    ],
)
def test_bad_input_is_a_clear_error(client, params, message):
    response = client.get("/en/deadlines/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html or 'id="rule-errors"' in html
    assert 'id="result-heading"' not in html


def test_dotted_date_and_two_month_cap(client):
    response = client.get("/en/deadlines/", {"start": "31.12.2025", "rule": "m2"})
    assert response.status_code == 200
    assert response.context["result"]["due"].isoformat() == "2026-02-28"  # 31 Feb -> 28th
    assert 'value="2025-12-31"' in response.content.decode()


def test_calculator_counts_an_extra_day_off(client):
    CalendarDay.objects.create(
        date="2026-04-13", kind="day_off", reason_kk="к", reason_ru="р", reason_en="By decree"
    )
    response = client.get("/en/deadlines/", {"start": "2026-03-18", "rule": "wd15"})
    assert response.context["result"]["due"].isoformat() == "2026-04-14"
    assert "Extra day off: By decree" in response.content.decode()


# --- Admin ------------------------------------------------------------------------------


def test_platform_editors_get_the_calendar_permissions_idempotently():
    grant_calendar_permissions(sender=None)
    grant_calendar_permissions(sender=None)
    editors = Group.objects.get(name=PLATFORM_EDITORS)
    codenames = set(
        editors.permissions.filter(content_type__app_label="tracking").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
        "view_calendarday",
    }


def test_editor_adds_a_calendar_day_in_wagtail_admin(client):
    grant_calendar_permissions(sender=None)
    editor = platform_editor()
    editor.groups.first().permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(editor)
    assert client.get("/cms/calendar_days/").status_code == 200
    response = client.post(
        "/cms/calendar_days/new/",
        {
            "date": "2026-03-28",
            "kind": "working_day",
            "reason_kk": "Сенбі жұмыс күні",
            "reason_ru": "Рабочая суббота",
            "reason_en": "Working Saturday",
        },
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get().kind == "working_day"


def test_citizen_cannot_open_the_calendar_admin(client, verified_user):
    client.force_login(verified_user)
    assert client.get("/cms/calendar_days/").status_code in (302, 403)


def test_obligation_is_read_only_in_django_admin(client, subject, agency_with_staff):
    obligation = obligation_open(subject=subject, agency=agency_with_staff.agency, kind=QUESTION)
    obligation_acknowledge(obligation=obligation, actor=None)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/django-admin/tracking/obligation/").status_code == 200
    page = client.get(
        f"/django-admin/tracking/obligation/{obligation.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acknowledged" in html or "acknowledged" in html.lower()
    assert 'name="_save"' not in html
    assert client.get("/django-admin/tracking/obligation/add/").status_code == 403
