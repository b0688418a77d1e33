"""Steps the browser journeys share."""

from __future__ import annotations

from playwright.sync_api import expect


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the English login form and wait until the header says so."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form").get_by_role("button", name="Sign In").click()
    expect(page.locator("nav.user-menu").get_by_role("button", name="Sign out")).to_be_visible()
