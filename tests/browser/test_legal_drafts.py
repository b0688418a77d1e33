"""Draft acts in a real browser: a citizen opens the list, a draft, a paragraph, posts a
comment on it and votes for the draft; "N comments" loads a paragraph's thread in place;
axe-core finds nothing serious or critical on the list, the draft and a paragraph page in
Kazakh, Russian and English."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
TEXT_KK = """# 1-бап. Жалпы ережелер

1. Осы Қағидалар азаматтардың өтініштерін қарау тәртібін айқындайды.
2. Өтініш он бес жұмыс күні ішінде қаралады.
"""
TEXT_RU = """# Статья 1. Общие положения

1. Настоящие Правила определяют порядок рассмотрения обращений граждан.
2. Обращение рассматривается в течение пятнадцати рабочих дней.
"""


@pytest.fixture
def open_draft(site_home, agencies, make_user):
    """An order of the Ministry of Justice, open for discussion now, and a citizen."""
    import time_machine
    from django.utils import timezone

    from accounts.models import Membership
    from legal_drafts import services
    from legal_drafts.models import DraftType
    from legal_drafts.text_import import import_markdown

    # The seeded types do not survive the flush of an earlier transactional test.
    order, _ = DraftType.objects.get_or_create(
        code="order",
        defaults={
            "name_kk": "Бұйрық",
            "name_ru": "Приказ",
            "name_en": "Order",
            "min_discussion_days": 10,
        },
    )
    ministry = agencies["ministry"]
    drafter = make_user(email="drafter@example.kz", display_name="Drafter")
    Membership.objects.create(user=drafter, agency=ministry, role="drafter")
    citizen = make_user(email="citizen@example.kz", display_name="Dana")
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=2), tick=False):
        draft = services.draft_create(
            actor=drafter,
            agency=ministry,
            type=order,
            title_kk="Өтініштерді қарау қағидалары туралы бұйрық",
            title_ru="Приказ о правилах рассмотрения обращений",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=14),
        )
        version = services.version_create(
            draft=draft, actor=drafter, text=import_markdown(kk=TEXT_KK, ru=TEXT_RU)
        )
        services.version_publish(version=version, actor=drafter)
    return {"draft": draft, "citizen": citizen}


def test_citizen_reads_comments_and_votes(new_context, open_draft, password):
    from legal_drafts.models import DraftVote

    draft = open_draft["draft"]
    page = new_context().new_page()
    sign_in(page, "citizen@example.kz", password)
    page.goto("/en/drafts/")
    page.get_by_role("link", name="Приказ о правилах рассмотрения обращений").click()
    expect(page.locator("h1")).to_have_text("Приказ о правилах рассмотрения обращений")
    expect(page.locator("#art-1-p-2")).to_contain_text("пятнадцати рабочих дней")

    page.locator("#art-1-p-2").get_by_role("link", name="Comment on this paragraph").click()
    expect(page.locator("h1")).to_contain_text("paragraph 2")
    page.locator("#comments textarea").fill("Предлагаю сократить срок до десяти дней.")
    page.locator("#comments form.comment-form button[type=submit]").click()
    expect(page.locator("#comments")).to_contain_text("Предлагаю сократить срок до десяти дней.")

    page.goto(f"/en/drafts/{draft.pk}/")
    expect(page.locator("#art-1-p-2 .draft-thread-link")).to_contain_text("1 comment")
    # With JavaScript, "1 comment" opens the paragraph's thread in place.
    page.locator("#art-1-p-2 .draft-thread-link").click()
    thread = page.locator("#art-1-p-2-thread")
    expect(thread).to_be_visible()
    expect(thread).to_contain_text("Предлагаю сократить срок до десяти дней.")
    expect(page.locator("#art-1-p-2 .draft-thread-link")).to_have_attribute("aria-expanded", "true")

    page.get_by_role("button", name="Vote for").click()
    expect(page.locator(".messages")).to_contain_text("Your vote for the draft is recorded.")
    expect(page.get_by_role("button", name="Vote for")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#vote")).to_contain_text("Your vote: for.")
    assert DraftVote.objects.get(draft=draft).value == "for"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_serious_axe_violations_on_draft_pages(
    new_context, open_draft, password, axe, save_screenshot, lang
):
    from dialogue import services as dialogue_services

    draft = open_draft["draft"]
    paragraph = draft.current_version().paragraphs.order_by("order").first()
    dialogue_services.comment_post(
        target=paragraph, author=open_draft["citizen"], text="Нужно уточнить формулировку."
    )
    page = new_context().new_page()
    sign_in(page, "citizen@example.kz", password)
    anonymous = new_context().new_page()
    failures = []
    for viewer, path in (
        (anonymous, f"/{lang}/drafts/"),
        (page, f"/{lang}/drafts/"),
        (page, f"/{lang}/drafts/{draft.pk}/"),
        (anonymous, f"/{lang}/drafts/{draft.pk}/"),
        (page, f"/{lang}/drafts/{draft.pk}/versions/1/{paragraph.anchor}/"),
    ):
        response = viewer.goto(path)
        assert response.status == 200, path
        for violation in axe(viewer):
            if violation["impact"] in BLOCKING:
                failures.append(f"{path}: {violation['id']} {violation['targets']}")
        save_screenshot(viewer, f"drafts-{lang}-{path.strip('/').replace('/', '-')}")
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
