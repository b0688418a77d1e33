"""WCAG 2.1 AA in a real browser: axe-core on the main pages, and the keyboard path in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}

# (name, path without the language prefix); the announcement's path is the same in kk and en.
PAGES = [
    ("home", "/"),
    ("agency-list", "/agencies/"),
    ("agency-page", "/agencies/ministry-of-justice/"),
    ("announcement", "/announcements/new-drafts/"),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
]
SCREENSHOTS = {"home", "agency-list", "signup"}


def format_violations(where: str, violations: list[dict]) -> str:
    """One block per page: rule, impact, help, and the first places it fails."""
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        lines.extend(f"      at {target}" for target in v["targets"])
        if v["summary"]:
            lines.append("      " + v["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_no_serious_axe_violations(page, axe, agencies, announcement, save_screenshot, lang):
    """All pages of one language in one test: the report lists every failing page at once."""
    failures = []
    for name, path in PAGES:
        response = page.goto(f"/{lang}{path}")
        assert response.ok, f"{lang}{path}: HTTP {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", lang)
        violations = axe(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            failures.append(format_violations(f"/{lang}{path}", blocking))
        minor = [v for v in violations if v["impact"] not in BLOCKING]
        if minor:  # shown with -s or on failure; not a failure by themselves
            print(format_violations(f"/{lang}{path} (minor)", minor))
        if lang == "kk" and name in SCREENSHOTS:
            save_screenshot(page, f"{name}-{lang}")
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)


def test_skip_link_is_first_and_moves_focus_to_main(page, announcement):
    page.goto("/kk/announcements/new-drafts/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_focus_is_visible_on_header_controls(page):
    """Every control in the dark header shows the focus ring when reached by keyboard."""
    page.goto("/en/")
    page.keyboard.press("Tab")  # skip link
    for _ in range(4):  # brand, then the language buttons
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and outline[1] != "0px", outline


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_no_serious_axe_violations_on_errors_and_when_signed_in(
    page, axe, make_user, password, lang
):
    """The states the anonymous pass cannot see: form errors, messages, the signed-in header."""
    make_user(email="aigerim@example.kz", display_name="Айгерім")
    failures = []

    def check(where: str) -> None:
        blocking = [v for v in axe(page) if v["impact"] in BLOCKING]
        if blocking:
            failures.append(format_violations(where, blocking))

    page.goto(f"/{lang}/accounts/signup/")
    page.locator("#id_email").fill("aigerim@example.kz")  # taken
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password + "-typo")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    check(f"/{lang}/accounts/signup/ with errors")

    page.goto(f"/{lang}/accounts/login/")
    page.locator("#id_login").fill("aigerim@example.kz")
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("nav.user-menu")).to_contain_text("Айгерім")
    check(f"{page.url} signed in, with a message")
    page.goto(f"/{lang}/")
    check(f"/{lang}/ signed in")

    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
