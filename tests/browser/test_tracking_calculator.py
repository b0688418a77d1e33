"""The deadline calculator in a real browser: used with JavaScript off, and axe-core clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def _blocking(violations: list[dict]) -> list[str]:
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} at {', '.join(v['targets'])}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def test_calculate_a_deadline_without_javascript(new_context, axe, save_screenshot):
    page = new_context(java_script_enabled=False, locale="en-GB").new_page()
    page.goto("/en/deadlines/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadline calculator")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "empty form"

    page.get_by_label("Start date").fill("2026-03-18")
    page.get_by_role("group", name="Period").get_by_label("15 working days", exact=False).check()
    page.get_by_role("button", name="Calculate").click()

    result = page.get_by_role("region", name="Result")
    expect(result).to_be_visible()
    expect(result.locator("#due-date")).to_contain_text("April 13, 2026")
    expect(result).to_contain_text("26 calendar days")
    expect(result.get_by_role("row")).to_have_count(12)  # header + 11 days not counted
    expect(result).to_contain_text("Nowruz Holiday (observed)")
    assert "start=2026-03-18" in page.url and "rule=wd15" in page.url
    save_screenshot(page, "deadline-calculator-en")
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "with a result"


def test_bad_date_is_explained_in_kazakh(new_context, axe):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/kk/deadlines/?start=2026-02-30&rule=wd15")
    field = page.locator("#id_start")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#start-errors")).to_be_visible()
    expect(page.get_by_role("region")).to_have_count(0)
    assert not _blocking(axe_on_same_url(new_context, page, axe)), "error state"


def axe_on_same_url(new_context, page, axe) -> list[dict]:
    """axe-core is a script, so it runs in a second, scripted tab on the same URL (the
    server renders the same page for both)."""
    scripted = new_context(locale="en-GB").new_page()
    scripted.goto(page.url)
    return axe(scripted)
