"""Search in a real browser: a reader types words into the header's search box, sees
results of several kinds with the words highlighted, narrows them to discussions with the
kind filter (the counts stay), and opens the result. axe-core finds nothing serious or
critical on the results page, filters shown, in Kazakh, Russian and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser_accessibility import format_violations
from tests.browser.test_petitions import petition_setup  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
TITLE = "Streetlights on the road to the village school"


@pytest.fixture
def searchable(site_home, agencies, announcement, make_user):
    """A discussion addressed to the ministry, with a citizen's comment that shares its
    words; the announcement and agencies of the fixtures. Everything is indexed on
    commit, as in production."""
    from dialogue import services as dialogue_services
    from dialogue.threads import services as thread_services
    from dialogue.threads.models import ThreadCategory

    author = make_user(email="dana@example.kz", display_name="Dana", first_name="Dana")
    neighbour = make_user(email="erlan@example.kz", display_name="Erlan", first_name="Erlan")
    thread = thread_services.thread_start(
        author=author,
        title=TITLE,
        text="Children walk to the school in the dark: the road has no streetlights.",
        category=ThreadCategory.TRANSPORT,
        region="astana",
        addressee=agencies["ministry"],
    )
    dialogue_services.comment_post(
        target=thread, author=neighbour, text="Our street needs streetlights too."
    )
    return thread


def test_search_filter_and_open_a_result(new_context, searchable, save_screenshot):
    page = new_context(locale="en-GB").new_page()
    page.goto("/en/dialogue/")

    box = page.get_by_role("search").get_by_label("Search the portal")
    box.fill("streetlight")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/search/\?q=streetlight"))
    expect(page.get_by_role("heading", name="2 results for “streetlight”")).to_be_visible()
    results = page.locator(".sr-hit")
    expect(results).to_have_count(2)
    expect(page.locator(".sr-hit mark").first).to_have_text(re.compile("streetlight", re.I))
    discussions = page.get_by_role("checkbox", name=re.compile(r"Discussions \(1\)"))
    expect(discussions).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile(r"Comments \(1\)"))).to_be_visible()
    save_screenshot(page, "search-results-en")

    discussions.check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"kind=thread"))
    expect(page.get_by_role("heading", name="1 result for “streetlight”")).to_be_visible()
    expect(results).to_have_count(1)
    # The other kinds are still counted, so the reader sees what a wider search gives.
    expect(page.get_by_role("checkbox", name=re.compile(r"Comments \(1\)"))).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"Discussions \(1\)"))).to_be_checked()

    page.get_by_role("link", name=TITLE).click()

    expect(page).to_have_url(re.compile(rf"/en/dialogue/threads/{searchable.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


@pytest.mark.parametrize(
    ("lang", "locale", "word"),
    [("kk", "kk-KZ", "заң"), ("ru", "ru-RU", "streetlight"), ("en", "en-GB", "draft")],
)
def test_no_serious_axe_violations_on_the_results_page(
    new_context, searchable, axe, save_screenshot, lang, locale, word
):
    page = new_context(locale=locale).new_page()
    failures = []
    for name, path in (
        ("empty", f"/{lang}/search/"),
        ("results", f"/{lang}/search/?q={word}"),
        ("filtered", f"/{lang}/search/?q={word}&kind=thread&from=2020-01-01"),
        ("nothing found", f"/{lang}/search/?q=qwertyuiop"),
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        blocking = [v for v in axe(page) if v["impact"] in BLOCKING]
        if blocking:
            failures.append(format_violations(f"{name} ({path})", blocking))
        save_screenshot(page, f"search-{name.replace(' ', '-')}-{lang}")
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)


def test_the_petition_form_suggests_similar_petitions_as_the_title_is_typed(
    new_context,
    petition_setup,  # noqa: F811
    password,
):
    """The platform search behind the petition form: a listed petition whose title shares
    a word form with the one being typed appears in the live region, without a reload."""
    from petitions.models import PetitionState
    from tests.browser.helpers import sign_in
    from tests.petitions.conftest import make_petition

    existing = make_petition(
        petition_setup["citizen"],
        petition_setup["ministry"],
        stage="published",
        moderator=petition_setup["moderator"],
    )
    existing.title = "Light the pedestrian underpasses of Astana"
    existing.state = PetitionState.PUBLIC
    existing.public_at = existing.published_at
    existing.save(update_fields=["title", "state", "public_at"])

    page = new_context(locale="en-GB").new_page()
    sign_in(page, "author@example.kz", password)
    page.goto("/en/petitions/new/")
    page.locator("#petition-title").press_sequentially("Lighting for the underpass", delay=20)

    suggestions = page.locator("#similar-petitions")
    expect(suggestions.get_by_role("link", name=existing.title)).to_be_visible()
    # Its state as the petition's page shows it (its collection, in the past, is over).
    expect(suggestions).to_contain_text("(closed · 0 signatures)")
