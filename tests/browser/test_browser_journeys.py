"""What a visitor does, end to end, in a real browser."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/accounts/confirm-email/[^\s\"'<>]+")


def test_sign_up_verify_email_and_sign_in(page, password):
    from allauth.account.models import EmailAddress

    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill("Dana.Nurlanovna@example.kz")
    page.get_by_label("Display name").fill("Dana N.")
    page.get_by_label("Region").select_option("karaganda")
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.locator("main form").get_by_role("button", name="Sign Up").click()

    expect(page.locator("main")).to_contain_text("sent an email")
    address = EmailAddress.objects.get(email__iexact="dana.nurlanovna@example.kz")
    assert not address.verified
    assert address.user.display_name == "Dana N."
    assert address.user.region == "karaganda"

    # The live server runs in this process, so the locmem backend's outbox is ours to read.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana.nurlanovna@example.kz"]
    link = CONFIRM_LINK.search(message.body)
    assert link, message.body
    page.goto(link.group(0))

    # Opening the link only asks: a mail scanner following it must not confirm anything.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    address.refresh_from_db()
    assert not address.verified

    page.locator("main form").get_by_role("button", name="Confirm").click()
    expect(page.locator("main h1")).not_to_have_text("Confirm Email Address")
    address.refresh_from_db()
    assert address.verified

    # Signed in straight away when confirming in the session that signed up: sign out first.
    # (Where sign-out lands depends on the browser's language, so match by address.)
    user_menu = page.locator("nav.user-menu")
    sign_out = user_menu.locator("form[action$='/accounts/logout/'] button")
    if sign_out.count():
        sign_out.click()
        expect(user_menu.locator("a[href$='/accounts/login/']")).to_be_visible()
        expect(sign_out).to_have_count(0)

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("dana.nurlanovna@example.kz")
    page.get_by_label("Password").fill(password)
    page.locator("main form").get_by_role("button", name="Sign In").click()

    expect(user_menu.get_by_role("link", name="Dana N.")).to_be_visible()
    expect(user_menu.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Your profile")


def test_switch_language_is_remembered(page, live_server):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/kk/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    switcher = page.locator("nav.language-switcher")
    switcher.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(switcher.get_by_role("button", name="Русский")).to_have_attribute("aria-current", "true")
    expect(page.locator("main")).to_contain_text("Открытый диалог")  # the ru home page

    # A new visit to the bare address lands in the language chosen last time (the cookie).
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/ru/")

    switcher.get_by_role("button", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/kk/")


def test_switch_language_keeps_the_place(page, agencies):
    """Outside the page tree, switching keeps the same URL in the other language."""
    page.goto("/en/agencies/")
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/agencies/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("main")).to_contain_text("Әділет министрлігі")


def test_read_an_announcement(page, announcement):
    page.goto("/kk/")
    latest = page.locator("main").get_by_role("link", name="Жаңа заң жобалары талқылауға шықты")
    expect(latest).to_be_visible()
    latest.click()

    expect(page).to_have_url(re.compile(r"/kk/announcements/new-drafts/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Жаңа заң жобалары талқылауға шықты")
    expect(page.locator("main")).to_contain_text("Үш заң жобасы қоғамдық талқылауға ашылды.")
    expect(page.locator("main")).to_contain_text("Пікірлеріңізді 25 наурызға дейін қалдырыңыз.")
    expect(page.locator("main time")).to_have_attribute("datetime", "2025-03-14")

    # Up to the index through the breadcrumb, then its Atom feed.
    page.locator("main nav").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Хабарландырулар")
    feed_link = page.locator("main a[href$='/feed/']")
    expect(feed_link).to_have_count(1)
    alternate = page.locator("head link[rel=alternate][type='application/atom+xml']")
    expect(alternate).to_have_attribute("href", feed_link.get_attribute("href"))

    response = page.request.get(feed_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Жаңа заң жобалары талқылауға шықты"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/kk/announcements/new-drafts/")


def test_read_an_announcement_in_english(page, announcement):
    page.goto("/en/")
    page.locator("main").get_by_role("link", name="New draft laws open for discussion").click()
    expect(page).to_have_url(re.compile(r"/en/announcements/new-drafts/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Leave your comments by 25 March.")

    # The page's own Kazakh translation is one click away.
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/announcements/new-drafts/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Жаңа заң жобалары талқылауға шықты")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_agency_directory(new_context, agencies, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/en/agencies/")
    # live.js sets `window.ashyqLive` when it runs; without JavaScript it must not have.
    assert page.evaluate("typeof window.ashyqLive") == ("object" if javascript else "undefined")
    cards = page.locator("main .cards > li")
    expect(cards).to_have_count(4)

    page.get_by_label("Type").select_option("local")
    page.locator("main form").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/en/agencies/\?.*kind=local"))
    expect(page.get_by_label("Type")).to_have_value("local")
    expect(cards).to_have_count(2)
    expect(cards.get_by_role("link")).to_have_text(
        ["Akimat of Almaty", "Karaganda Regional Maslikhat"]
    )

    page.get_by_label("Type").select_option("central")
    page.get_by_label("Name contains").fill("justice")
    page.locator("main form").get_by_role("button", name="Show").click()
    expect(cards).to_have_count(1)
    cards.get_by_role("link", name="Ministry of Justice").click()

    expect(page).to_have_url(re.compile(r"/en/agencies/ministry-of-justice/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Justice")
    main = page.locator("main")
    expect(main).to_contain_text("Drafts and registers legal acts.")
    expect(main).to_contain_text("8 Mangilik El Avenue, Astana")
    expect(main.get_by_role("link", name="kense@adilet.gov.kz")).to_have_attribute(
        "href", "mailto:kense@adilet.gov.kz"
    )
    main.get_by_role("link", name="Registration Service Committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration Service Committee")


def test_agency_names_follow_the_language(page, agencies):
    page.goto("/kk/agencies/")
    expect(page.locator("main .cards > li h2")).to_have_text(
        [
            "Алматы қаласының әкімдігі",
            "Әділет министрлігі",
            "Қарағанды облыстық мәслихаты",
            "Тіркеу қызметі комитеті",
        ]
    )
    page.goto("/ru/agencies/ministry-of-justice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Министерство юстиции")
