"""Browser tests: a real Chromium, driven by Playwright, against pytest-django's live server.

Chromium is not a Python dependency, so these tests skip (with the reason shown by `-ra`)
when it is missing, unless `ASHYQ_REQUIRE_BROWSER=1` says the run must exercise the
browser, as CI's second run does: then a missing Chromium or axe-core is a failure.

The live server needs a transactional database, and each transactional test ends with a
flush that removes what the migrations created (the page tree, the default Site). Django
re-emits `post_migrate` after the flush, which brings back content types, permissions,
locales and groups; `site_home` rebuilds the rest, so every test starts from the same
state whichever test ran before it, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent.parent
CHROMIUM = Path(os.environ.get("ASHYQ_CHROMIUM") or "/usr/bin/chromium")
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "test-artifacts"
REQUIRED = os.environ.get("ASHYQ_REQUIRE_BROWSER") == "1"
SCREENSHOTS = os.environ.get("ASHYQ_SCREENSHOTS") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000
PASSWORD = "Kokterek-2024-dialogue"

NO_CHROMIUM = f"Chromium not found at {CHROMIUM}: browser tests skipped"
NO_AXE = f"axe-core not found at {AXE_JS} (run `npm install`): accessibility tests skipped"


def _chromium_present() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items) -> None:
    """Skip at collection time, before any database is created, when the tools are missing
    and not required. (When required, the fixtures below fail instead.)"""
    if REQUIRED:
        return
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        if not _chromium_present():
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))
        elif "axe" in item.fixturenames and not AXE_JS.is_file():
            item.add_marker(pytest.mark.skip(reason=NO_AXE))


# --- The browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not _chromium_present():
        if REQUIRED:
            pytest.fail(f"Chromium not found at {CHROMIUM} and ASHYQ_REQUIRE_BROWSER=1")
        pytest.skip(NO_CHROMIUM)
    return CHROMIUM


@pytest.fixture(scope="session")
def axe():
    """`axe(page)`: axe-core's WCAG 2.1 A/AA violations on the page as loaded, trimmed to
    what a report needs (rule, impact, help, the first failing selectors)."""
    if not AXE_JS.is_file():
        if REQUIRED:
            pytest.fail(f"axe-core not found at {AXE_JS} and ASHYQ_REQUIRE_BROWSER=1")
        pytest.skip(NO_AXE)

    def run(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map((v) => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    helpUrl: v.helpUrl,
                    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
                    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
                }));
            }""",
            AXE_TAGS,
        )

    return run


@pytest.fixture(scope="package")
def browser(chromium_path):
    """One Chromium for all the browser tests; each test gets its own context.

    Package scope, not session: Playwright's sync API keeps an asyncio loop marked as
    running in this thread for as long as it lives, which would break the async tests
    that pytest-django orders after these. While it lives, Django must be told that the
    tests' own synchronous database queries are not coming from async code.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server, site_home):
    """Factory for fresh browser contexts (cookies, storage) against the live server.

    The reader's browser asks for Kazakh by default, the platform's default language.
    The live channel's websocket is answered by a silent stand-in: the live server speaks
    plain WSGI, and the pages must work without the channel anyway.
    """
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "kk-KZ")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route_web_socket(re.compile(r"/ws/"), lambda ws: None)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


# --- Data ---------------------------------------------------------------------------------


@pytest.fixture
def site_home(transactional_db, settings):
    """The kk HomePage at the default Site's root, with published ru and en translations."""
    from django.core.cache import cache
    from wagtail.models import Locale, Page, Site
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

    from cms.models import HomePage
    from cms.services import ensure_locales, ensure_platform_groups

    # Journeys, not throttling: with a shared cache (Redis) sign-ups from earlier runs would
    # count against allauth's limits. And the flush left Wagtail's cached site root paths
    # pointing at pages that no longer exist.
    settings.ACCOUNT_RATE_LIMITS = False
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY)
    ensure_locales()
    kk = Locale.objects.get(language_code="kk")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=kk))
    ensure_platform_groups()  # gives editors their permissions on the (new) root page

    home = HomePage.objects.filter(locale=kk).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Ashyq", slug="home", locale=kk))
    home.intro = "Азаматтар мен мемлекеттік органдардың ашық диалогы."
    home.save_revision().publish()
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Ashyq",
        )
    for code, intro in (
        ("ru", "Открытый диалог граждан и государственных органов."),
        ("en", "An open dialogue between citizens and government bodies."),
    ):
        locale = Locale.objects.get(language_code=code)
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
        translation.intro = intro
        translation.save_revision().publish()
    return home


@pytest.fixture
def announcement(site_home):
    """An announcement index under the home page with one announcement, in kk and en."""
    from wagtail.models import Locale
    from wagtail.rich_text import RichText

    from cms.models import AnnouncementIndexPage, AnnouncementPage

    index = site_home.add_child(
        instance=AnnouncementIndexPage(
            title="Хабарландырулар", slug="announcements", intro="Платформа жаңалықтары."
        )
    )
    index.save_revision().publish()
    item = index.add_child(
        instance=AnnouncementPage(
            title="Жаңа заң жобалары талқылауға шықты",
            slug="new-drafts",
            date=datetime.date(2025, 3, 14),
            summary="Үш заң жобасы қоғамдық талқылауға ашылды.",
            body=[("paragraph", RichText("<p>Пікірлеріңізді 25 наурызға дейін қалдырыңыз.</p>"))],
        )
    )
    item.save_revision().publish()

    en = Locale.objects.get(language_code="en")
    index_en = index.copy_for_translation(en)
    index_en.title = "Announcements"
    index_en.intro = "News of the platform."
    index_en.save_revision().publish()
    item_en = item.copy_for_translation(en)
    item_en.title = "New draft laws open for discussion"
    item_en.summary = "Three draft laws are open for public discussion."
    item_en.body = [("paragraph", RichText("<p>Leave your comments by 25 March.</p>"))]
    item_en.save_revision().publish()
    index.refresh_from_db()
    item.refresh_from_db()
    return {"index": index, "item": item, "index_en": index_en, "item_en": item_en}


@pytest.fixture
def agencies(transactional_db):
    """A small directory: two central bodies (one subordinate to the other), two local ones."""
    from accounts.models import Agency

    ministry = Agency.objects.create(
        slug="ministry-of-justice",
        name_kk="Әділет министрлігі",
        name_ru="Министерство юстиции",
        name_en="Ministry of Justice",
        kind=Agency.Kind.CENTRAL,
        description_en="Drafts and registers legal acts.",
        address_en="8 Mangilik El Avenue, Astana",
        phone="+7 7172 58 00 58",
        email="kense@adilet.gov.kz",
    )
    committee = Agency.objects.create(
        slug="registration-committee",
        name_kk="Тіркеу қызметі комитеті",
        name_ru="Комитет регистрационной службы",
        name_en="Registration Service Committee",
        kind=Agency.Kind.CENTRAL,
        parent=ministry,
    )
    akimat = Agency.objects.create(
        slug="almaty-akimat",
        name_kk="Алматы қаласының әкімдігі",
        name_ru="Акимат города Алматы",
        name_en="Akimat of Almaty",
        kind=Agency.Kind.LOCAL,
        region="almaty-city",
        address_en="4 Republic Square, Almaty",
    )
    maslikhat = Agency.objects.create(
        slug="karaganda-maslikhat",
        name_kk="Қарағанды облыстық мәслихаты",
        name_ru="Карагандинский областной маслихат",
        name_en="Karaganda Regional Maslikhat",
        kind=Agency.Kind.LOCAL,
        region="karaganda",
    )
    return {
        "ministry": ministry,
        "committee": committee,
        "akimat": akimat,
        "maslikhat": maslikhat,
    }


@pytest.fixture
def password() -> str:
    """A password that passes every validator."""
    return PASSWORD


@pytest.fixture
def make_user(transactional_db):
    """A user with a verified primary email, as one who finished signing up."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    def make(email: str = "aigerim@example.kz", display_name: str = "Айгерім", **extra):
        user = User.objects.create_user(
            email=email, password=PASSWORD, display_name=display_name, **extra
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


# --- Helpers --------------------------------------------------------------------------------


@pytest.fixture
def save_screenshot():
    """`save_screenshot(page, name)` writes test-artifacts/<name>.png when ASHYQ_SCREENSHOTS=1."""

    def save(page, name: str) -> Path | None:
        if not SCREENSHOTS:
            return None
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
