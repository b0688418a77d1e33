"""What is found, through the real registrations and services, on every backend: public
content is found once its write commits; hidden, unpublished and withdrawn content
disappears; personal data is never indexed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from wagtail.models import PageViewRestriction

from accounts.models import Agency
from blogs import services as blog_services
from dialogue import services as dialogue_services
from legal_drafts import services as draft_services
from legal_drafts.text_import import import_markdown
from petitions import services as petition_services
from petitions.models import Petition, PetitionState
from search import services
from search.backends import elastic
from search.models import Entry
from tests.blogs.conftest import make_blog, published, submit
from tests.factories import (
    AgencyFactory,
    UserFactory,
    home_page,
    make_announcement,
    make_announcement_index,
    platform_moderator,
    translate,
)
from tests.legal_drafts.conftest import AFTER, CLOSES, DURING, make_draft
from tests.petitions.conftest import make_petition
from tests.search.conftest import committed

pytestmark = pytest.mark.django_db


def found(backend: str, **kwargs) -> list[tuple[str, str]]:
    results = services.search(**kwargs)
    assert (results.backend, results.degraded) == (backend, False)
    return [(hit.kind, hit.title) for hit in results.hits]


def indexed_text() -> str:
    """Everything stored in the database index and in Elasticsearch, as one string."""
    rows = Entry.objects.values_list("title", "body", "url", "extra")
    text = " ".join(str(value) for row in rows for value in row)
    if elastic.is_configured():
        response = elastic.client().search(index=elastic.alias_name(), size=1000)
        text += " ".join(str(hit["_source"]) for hit in response["hits"]["hits"])
    return text


# --- blog questions ---------------------------------------------------------------------------


@pytest.fixture
def blog(agency_with_staff):
    with committed():
        return make_blog(agency_with_staff.agency, agency_with_staff.head, title="Minister's blog")


@pytest.fixture
def asker(db):
    return UserFactory(
        email="dana.private@example.kz", display_name="Dana Zhaksylykova", first_name="Dana"
    )


def test_a_question_is_found_once_published_and_not_while_hidden(
    backend, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    with committed():
        question = submit(blog, asker, title="Когда откроют суд в Косшы?", text="Здание закрыто.")
    assert found(backend, q="суд Косшы") == []

    with committed():
        blog_services.question_publish(question=question, actor=staff.moderator)
    assert found(backend, q="суд Косшы") == [("blog_question", "Когда откроют суд в Косшы?")]

    with committed():
        blog_services.question_hide(question=question, reason="abuse", actor=staff.moderator)
    assert found(backend, q="суд Косшы") == []

    with committed():
        blog_services.question_restore(question=question, actor=staff.moderator)
    assert found(backend, q="суд Косшы") == [("blog_question", "Когда откроют суд в Косшы?")]


def test_answers_are_found_with_their_question_which_becomes_answered(
    backend, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    with committed():
        question = published(blog, asker, staff, title="Ремонт дороги", text="Когда?")
        blog_services.question_answer(
            question=question,
            responder=staff.responder,
            text="Подрядчик завершит асфальтирование в августе.",
            is_final=True,
        )

    results = services.search(q="асфальтирование")

    assert [(hit.kind, hit.title, hit.status) for hit in results.hits] == [
        ("blog_question", "Ремонт дороги", "answered")
    ]
    assert results.facets["status"] == {"answered": 1}
    assert results.hits[0].agency_id == staff.agency.pk


def test_no_email_is_indexed_nor_a_hidden_askers_name(backend, blog, agency_with_staff):
    staff = agency_with_staff
    open_asker = UserFactory(email="open.asker@example.kz", display_name="Open Asker")
    shy_asker = UserFactory(email="shy.asker@example.kz", display_name="Shy Asker")
    with committed():
        published(blog, open_asker, staff, title="Вопрос о тарифах", text="Почему выросли?")
        published(
            blog, shy_asker, staff, title="Вопрос о школе", text="Когда ремонт?", name_hidden=True
        )

    text = indexed_text()

    assert "Вопрос о школе" in text and "Open Asker" in text
    assert "Shy Asker" not in text
    assert "@example.kz" not in text and "@justice.gov.kz" not in text


def test_the_askers_public_name_follows_their_profile(backend, blog, asker, agency_with_staff):
    with committed():
        published(blog, asker, agency_with_staff, title="Вопрос", text="Текст вопроса")
    assert "Dana Zhaksylykova" in indexed_text()

    with committed():
        asker.display_name = "D. Z."
        asker.save(update_fields=["display_name"])

    assert "Dana Zhaksylykova" not in indexed_text()


# --- draft acts -------------------------------------------------------------------------------


def test_a_draft_and_its_paragraphs_are_found_in_both_languages_once_published(
    backend, agency_with_staff
):
    with time_machine.travel(DURING, tick=False), committed():
        unpublished = make_draft(
            agency_with_staff, publish=False, title_ru="Проект о недрах", title_kk="Жер қойнауы"
        )
        draft = make_draft(agency_with_staff)

    with time_machine.travel(DURING, tick=False):
        assert found(backend, q="недрах") == []
        assert found(backend, q="приказ правилах обращений") == [
            ("legal_draft", "Приказ о правилах рассмотрения обращений")
        ]
        kazakh = services.search(q="өтініштерді қарау", kinds=["legal_draft"], language="kk")
        assert [hit.language for hit in kazakh.hits] == ["kk"]
        paragraph = services.search(q="пятнадцати рабочих дней")
        assert [(hit.kind, hit.extra["context"]) for hit in paragraph.hits] == [
            ("legal_draft_paragraph", "Приказ о правилах рассмотрения обращений")
        ]
        assert paragraph.hits[0].status == "open"
        assert paragraph.hits[0].url.endswith(f"/drafts/{draft.pk}/versions/1/art-1-p-2/")
    assert unpublished.pk != draft.pk


def test_a_new_version_replaces_the_paragraphs_of_the_old_one(backend, agency_with_staff):
    with time_machine.travel(DURING, tick=False), committed():
        draft = make_draft(agency_with_staff)
    text_ru = "# Статья 1. Общие положения\n\n1. Обращение рассматривается в течение десяти дней.\n"
    text_kk = "# 1-бап. Жалпы ережелер\n\n1. Өтініш он күн ішінде қаралады.\n"
    with time_machine.travel(DURING, tick=False), committed():
        version = draft_services.version_create(
            draft=draft,
            actor=agency_with_staff.drafter,
            text=import_markdown(kk=text_kk, ru=text_ru),
        )
        draft_services.version_publish(version=version, actor=agency_with_staff.drafter)

    with time_machine.travel(DURING, tick=False):
        assert found(backend, q="пятнадцати рабочих") == []
        assert [kind for kind, _ in found(backend, q="десяти дней")] == ["legal_draft_paragraph"]


def test_a_drafts_status_follows_the_clock_through_search_refresh(backend, agency_with_staff):
    with time_machine.travel(DURING, tick=False), committed():
        draft = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        assert services.search(q="приказ", kinds=["legal_draft"]).facets["status"] == {"open": 1}
        assert services.index_refresh() == 0

    paragraphs = draft.current_version().paragraphs.count()
    with time_machine.travel(CLOSES + datetime.timedelta(minutes=1), tick=False):
        assert services.index_refresh() == 1 + paragraphs
    with time_machine.travel(AFTER, tick=False):
        results = services.search(q="приказ", kinds=["legal_draft"])
        assert results.facets["status"] == {"awaiting_report": 1}
        assert services.index_refresh() == 0


# --- petitions --------------------------------------------------------------------------------


def test_a_petition_is_found_once_listed_and_not_while_hidden(backend, agency_with_staff):
    author = UserFactory(email="petitioner@example.kz", display_name="Petitioner Name")
    moderator = platform_moderator(email="mod@ashyq.kz")
    with committed():
        petition = make_petition(
            author, agency_with_staff.agency, stage="published", moderator=moderator
        )
    # Published but still gathering its first supporters: reachable by link only.
    assert found(backend, q="pedestrian crossing") == []

    with committed():
        petition.state = PetitionState.PUBLIC
        petition.public_at = petition.published_at
        petition.save(update_fields=["state", "public_at"])
    assert found(backend, q="pedestrian crossing") == [
        ("petition", "Build a pedestrian crossing on Abai Avenue")
    ]
    assert "Petitioner Name" not in indexed_text()

    with committed():
        petition_services.petition_hide(
            petition=Petition.objects.get(pk=petition.pk), reason="abuse", actor=moderator
        )
    assert found(backend, q="pedestrian crossing") == []


# --- comments ---------------------------------------------------------------------------------


@pytest.fixture
def announcement(agency_with_staff):
    with committed():
        news = make_announcement_index()
        return make_announcement(
            news,
            title="Бюджетные слушания",
            summary="Обсуждение бюджета",
            agency=agency_with_staff.agency,
        )


def test_comments_are_found_and_disappear_when_hidden(backend, announcement, verified_user):
    moderator = platform_moderator(email="moderator@ashyq.kz")
    with committed():
        comment = dialogue_services.comment_post(
            target=announcement, author=verified_user, text="Предлагаю построить велодорожки."
        )

    results = services.search(q="велодорожки")
    assert [(hit.kind, hit.title) for hit in results.hits] == [("comment", "Бюджетные слушания")]
    assert results.hits[0].url.endswith(f"#c{comment.pk}")
    assert results.hits[0].agency_id == announcement.agency_id
    assert "Asel" not in indexed_text()  # the author's public name

    with committed():
        dialogue_services.comment_hide(comment=comment, reason="abuse", actor=moderator)
    assert found(backend, q="велодорожки") == []


def test_an_official_reply_is_an_agency_response(
    backend, announcement, agency_with_staff, verified_user
):
    with committed():
        comment = dialogue_services.comment_post(
            target=announcement, author=verified_user, text="Когда начнётся ремонт?"
        )
        dialogue_services.comment_post(
            target=announcement,
            author=agency_with_staff.responder,
            text="Ремонт начнётся в апреле, подрядчик определён.",
            parent=comment,
            as_official=True,
        )

    assert found(backend, q="подрядчик определён") == [("agency_response", "Бюджетные слушания")]


def test_comments_follow_their_target_out_of_the_index(backend, announcement, verified_user):
    with committed():
        dialogue_services.comment_post(
            target=announcement, author=verified_user, text="Нужны велодорожки."
        )
    with committed():
        announcement.unpublish()

    assert found(backend, q="велодорожки") == []
    assert found(backend, q="бюджетные слушания") == []


# --- pages and agencies -----------------------------------------------------------------------


def test_translations_of_a_page_are_one_result_and_restricted_pages_are_not_found(backend, db):
    with committed():
        news = make_announcement_index()
        page = make_announcement(news, title="Жаңа саябақ ашылды", summary="Park 2026")
        home_page("ru")
        news_ru = translate(news, "ru")
        translate(page, "ru", title="Открыт новый парк")

    assert found(backend, q="park 2026", language="ru") == [("announcement", "Открыт новый парк")]
    assert found(backend, q="park 2026", language="kk") == [("announcement", "Жаңа саябақ ашылды")]

    with committed():
        PageViewRestriction.objects.create(page=news_ru, restriction_type="login")
    assert found(backend, q="park 2026", language="ru") == [("announcement", "Жаңа саябақ ашылды")]


def test_agencies_are_found_by_their_names_in_any_language(backend, db):
    with committed():
        AgencyFactory(
            slug="ecology",
            name_kk="Экология министрлігі",
            name_ru="Министерство экологии",
            name_en="Ministry of Ecology",
            email="press@ecology.gov.kz",
            is_active=True,
        )
        gone = AgencyFactory(slug="old", name_ru="Упразднённое агентство экологии", is_active=False)

    assert found(backend, q="экологии", language="ru") == [("agency", "Министерство экологии")]
    assert found(backend, q="ecology", language="en") == [("agency", "Ministry of Ecology")]
    assert "press@ecology.gov.kz" not in indexed_text()
    assert Agency.objects.filter(pk=gone.pk).exists()
