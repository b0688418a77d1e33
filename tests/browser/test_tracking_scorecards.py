"""Scorecards, the comparison and the overdue list in a real browser: used without
JavaScript (the charts are server-drawn SVG with tables), sorted by a column, axe-core clean."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALMATY = ZoneInfo("Asia/Almaty")
KIND = "browser.question"


def at(month: int, day: int, hour: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=ALMATY)


NOW = at(4, 20, 12)


def _blocking(violations: list[dict]) -> list[str]:
    """Every WCAG 2.1 A/AA violation, whatever its impact: these pages have none."""
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in violations
    ]


@pytest.fixture
def ledger(agencies):
    """Questions opened in March 2026: the Ministry of Justice answered 12 on time and has
    one overdue; the Akimat of Almaty answered 2 and has 3 overdue."""
    from django.urls import reverse

    from tests.factories import OrganisationFactory
    from tracking import kinds
    from tracking.deadlines import WorkingDays
    from tracking.services import obligation_fulfil, obligation_open

    kinds.register(
        KIND,
        label="Answer to a question",
        deadline=WorkingDays(15),
        title_of=lambda subject: subject.name,
        url_of=lambda subject: reverse(
            "accounts:organisation_detail", kwargs={"slug": subject.slug}
        ),
    )
    subject = OrganisationFactory(name="Where is the new school?")

    def open_many(agency, count: int, answered: int) -> None:
        with time_machine.travel(at(3, 2), tick=False):
            rows = [
                obligation_open(subject=subject, agency=agency, kind=KIND) for _ in range(count)
            ]
        with time_machine.travel(at(3, 3), tick=False):
            for obligation in rows[:answered]:
                obligation_fulfil(obligation=obligation, actor=None)

    open_many(agencies["ministry"], 13, 12)
    open_many(agencies["akimat"], 5, 2)
    yield agencies
    kinds.unregister(KIND)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def axe_on_same_url(new_context, page, axe) -> list[dict]:
    """axe-core is a script, so it runs in a second, scripted tab on the same URL."""
    scripted = new_context(locale="en-GB").new_page()
    scripted.goto(page.url)
    return axe(scripted)


def test_scorecard_reads_without_javascript(new_context, axe, ledger, frozen, save_screenshot):
    page = new_context(java_script_enabled=False, locale="en-GB").new_page()
    page.goto("/en/agencies/ministry-of-justice/scorecard/?period=2026-Q1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard: Ministry of Justice")
    headline = page.locator("#headline")
    expect(headline).to_contain_text("Received")
    expect(headline).to_contain_text("13")
    expect(headline).to_contain_text("95% interval")
    # Three charts, each an image with a name, each with a data table beside it.
    expect(page.locator("svg.chart[role=img]")).to_have_count(3)
    expect(
        page.get_by_role("table", name="Received, answered and overdue, by period")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Answered on time")).to_be_visible()

    # The period picker, without JavaScript: the year 2026.
    page.get_by_role("radio", name="Year").check()
    page.locator("#f-year").fill("2026")
    page.get_by_role("button", name="Show").click()
    assert page.url.endswith("?period=2026")
    expect(page.get_by_role("heading", level=2, name="2026")).to_be_visible()
    save_screenshot(page, "scorecard-en")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "scorecard"


def test_comparison_sorted_by_a_column(new_context, axe, ledger, frozen):
    page = new_context(java_script_enabled=False, locale="en-GB").new_page()
    page.goto("/en/scorecards/?period=2026-Q1")
    table = page.get_by_role("table", name="Agencies compared, Q1 2026")
    rows = table.locator("tbody tr")
    # Neutral by default: by name.
    expect(rows.nth(0)).to_contain_text("Akimat of Almaty")
    expect(rows.nth(1)).to_contain_text("Ministry of Justice")
    expect(table.locator("th[aria-sort]")).to_have_count(1)
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "comparison"

    # Sorting by the share answered on time ranks the Ministry first; the Akimat's two
    # answers are too few to judge, so it comes last whichever the order.
    table.get_by_role("link", name="On time").click()
    assert "sort=on_time" in page.url and "dir=desc" in page.url
    header = table.get_by_role("columnheader", name="On time")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.nth(0)).to_contain_text("Ministry of Justice")
    expect(rows.nth(1)).to_contain_text("too few to judge")
    table.get_by_role("link", name="On time").click()
    assert "dir=asc" in page.url
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows.nth(1)).to_contain_text("Akimat of Almaty")

    # By the number overdue, largest first.
    table.get_by_role("link", name="Overdue now").click()
    expect(table.get_by_role("columnheader", name="Overdue now")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(rows.nth(0)).to_contain_text("Akimat of Almaty")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "sorted comparison"


def test_overdue_list_is_axe_clean(new_context, axe, ledger, frozen):
    page = new_context(java_script_enabled=False, locale="en-GB").new_page()
    page.goto("/en/obligations/overdue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recently overdue")
    table = page.locator("#obligations")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.get_by_role("link", name="Where is the new school?").first).to_be_visible()
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "overdue"

    page.get_by_label("Agency", exact=True).select_option("almaty-akimat")
    page.get_by_role("button", name="Show").click()
    expect(table.locator("tbody tr")).to_have_count(3)

    page.goto("/en/obligations/overdue/?days=0")
    expect(page.locator("#f-days")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-days_error")).to_contain_text("between 1 and 366")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "error state"


def test_pages_in_kazakh_are_axe_clean(new_context, axe, ledger, frozen):
    page = new_context().new_page()
    for url in (
        "/kk/agencies/almaty-akimat/scorecard/?period=2026-Q1",
        "/kk/scorecards/?period=2026-Q1&sort=overdue_now&dir=desc",
        "/kk/obligations/?status=overdue",
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        assert not _blocking(axe(page)), url


def test_open_data_page_is_axe_clean(new_context, axe, ledger, frozen):
    page = new_context(java_script_enabled=False, locale="en-GB").new_page()
    # Reached from the overdue page, which also offers its Atom feed.
    page.goto("/en/obligations/overdue/")
    expect(page.locator('head link[rel=alternate][type="application/atom+xml"]')).to_have_attribute(
        "href", "/en/obligations/overdue/feed/"
    )
    page.locator("main").get_by_role("link", name="Open data", exact=True).click()
    assert page.url.endswith("/en/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    expect(page.get_by_role("link", name="obligations.csv")).to_be_visible()
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "open data"
