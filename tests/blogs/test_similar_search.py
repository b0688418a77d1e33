"""The ask form's suggestions come from the platform search: answered, visible questions
of the same blog, matched by folded and stemmed words, read back in a bounded number of
queries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from blogs import selectors, services
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.search.conftest import committed

from .conftest import answered, make_blog, published

pytestmark = pytest.mark.django_db

HOSPITAL = "Когда откроют новую больницу в Косшы?"


def titles(questions) -> list[str]:
    return [question.title for question in questions]


@pytest.fixture
def hospital(blog, asker, agency_with_staff):
    with committed():
        return answered(blog, asker, agency_with_staff, title=HOSPITAL, text="Ждём с весны.")


def test_another_word_form_finds_the_answered_question(hospital, blog):
    # больницу / больницы / больнице: one stem; any word of the title may match.
    assert titles(selectors.similar_answered_questions(title="Строительство больницы")) == [
        HOSPITAL
    ]
    assert titles(selectors.similar_answered_questions(title="о больнице", blog=blog)) == [HOSPITAL]
    # Case, ё and the Kazakh letters fold away.
    assert titles(selectors.similar_answered_questions(title="ҚОСШЫ")) == [HOSPITAL]
    assert selectors.similar_answered_questions(title="Налоговый вычет") == []


def test_nothing_to_search_suggests_nothing(hospital):
    # Without words the search would list everything, newest first: never suggested.
    for title in ("", "   ", "в на и", "a b c", "?!"):
        assert selectors.similar_answered_questions(title=title) == []


def test_best_match_first_and_limited(blog, asker, agency_with_staff):
    with committed():
        one_word = answered(blog, asker, agency_with_staff, title="Больница в селе")
        both = answered(blog, asker, agency_with_staff, title="Ремонт больницы в Косшы")
        for number in range(6):
            answered(blog, asker, agency_with_staff, title=f"Ремонт дороги №{number}")
    found = selectors.similar_answered_questions(title="ремонт больницы", limit=3)
    assert found[0] == both and len(found) == 3
    assert one_word in selectors.similar_answered_questions(title="ремонт больницы", limit=10)


def test_unanswered_and_hidden_questions_are_never_suggested(
    hospital, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    with committed():
        awaiting = published(blog, asker, staff, title="Больница в Косшы: когда ремонт?")
        services.question_answer(
            question=awaiting, responder=staff.responder, text="Смета готовится.", is_final=False
        )
        published(blog, asker, staff, title="Больница в Косшы закрыта")
    assert titles(selectors.similar_answered_questions(title="больница Косшы")) == [HOSPITAL]

    # Hidden: gone from the index once the change commits ...
    with committed():
        services.question_hide(question=hospital, reason="abuse", actor=staff.moderator)
    assert selectors.similar_answered_questions(title="больница Косшы") == []
    with committed():
        services.question_restore(question=hospital, actor=staff.moderator)
    assert titles(selectors.similar_answered_questions(title="больница Косшы")) == [HOSPITAL]

    # ... and never shown even while the index still has it (re-indexing not run yet).
    services.question_hide(question=hospital, reason="abuse", actor=staff.moderator)
    assert selectors.similar_answered_questions(title="больница Косшы") == []


def staff_of(agency) -> SimpleNamespace:
    """A moderator and a responder of `agency`."""
    people = {}
    for role in (Membership.Role.MODERATOR, Membership.Role.RESPONDER):
        people[role] = MembershipFactory(agency=agency, user=UserFactory(), role=role).user
    return SimpleNamespace(
        moderator=people[Membership.Role.MODERATOR], responder=people[Membership.Role.RESPONDER]
    )


def test_only_the_blogs_own_questions(hospital, blog, asker, agency_with_staff):
    staff = agency_with_staff
    akimat = AgencyFactory(slug="akimat-astana", name_en="Akimat of Astana")
    with committed():
        # The same agency's other blog, and another agency's blog.
        deputy = make_blog(staff.agency, staff.head, title="Deputy's blog", slug="deputy")
        akim = make_blog(akimat, UserFactory(), title="Akim's blog", slug="akim")
        theirs = answered(deputy, asker, staff, title="Больница Косшы: ответ заместителя")
        elsewhere = answered(akim, asker, staff_of(akimat), title="Больница Косшы и акимат")

    assert titles(selectors.similar_answered_questions(title="больница Косшы", blog=blog)) == [
        HOSPITAL
    ]
    assert titles(selectors.similar_answered_questions(title="больница Косшы", blog=deputy)) == [
        theirs.title
    ]
    assert titles(selectors.similar_answered_questions(title="больница Косшы", blog=akim)) == [
        elsewhere.title
    ]
    everywhere = selectors.similar_answered_questions(title="больница Косшы")
    assert set(titles(everywhere)) == {HOSPITAL, theirs.title, elsewhere.title}


def test_the_active_language_is_preferred(monkeypatch, hospital):
    calls = []
    real = selectors.search

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "search", spy)
    with translation.override("ru"):
        selectors.similar_answered_questions(title="больница")
    assert calls[0]["language"] == "ru"
    assert calls[0]["kinds"] == ["blog_question"] and calls[0]["status"] == "answered"
    assert calls[0]["any_word"] is True


@pytest.mark.parametrize("count", [3, 25])
def test_queries_do_not_grow_with_the_questions(
    blog, asker, agency_with_staff, count, django_assert_max_num_queries
):
    with committed():
        for number in range(count):
            answered(blog, asker, agency_with_staff, title=f"Больница №{number} в Косшы")
    selectors.similar_answered_questions(title="прогрев")  # once: is SQLite's FTS5 there?

    # The search's two queries, then the questions with their obligations.
    with django_assert_max_num_queries(3):
        found = selectors.similar_answered_questions(title="больницы Косшы", blog=blog)
        assert all(question.obligation.answered_at for question in found)
    assert len(found) == min(count, 5)


# --- the ask form and its JSON --------------------------------------------------------------


def test_the_json_lists_what_the_search_found(
    client, hospital, blog, asker, django_assert_max_num_queries
):
    url = reverse("blogs:similar_questions")
    client.get(url, {"title": "прогрев"})
    # View restrictions, the blog, its canonical page; the search (2); the questions.
    with django_assert_max_num_queries(6):
        response = client.get(url, {"title": "строительство больницы", "blog": blog.pk})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert set(result) == {"title", "url", "answered_on"}
    assert result["title"] == HOSPITAL and result["url"] == hospital.get_absolute_url()
    assert result["answered_on"]
    assert asker.email not in response.content.decode()
    assert client.get(url, {"title": "налоговый вычет"}).json() == {"results": []}
    assert client.get(url, {"title": ""}).json() == {"results": []}


def test_the_check_step_lists_them_and_keeps_what_was_typed(client, hospital, blog, verified_user):
    client.force_login(verified_user)
    typed = {"title": "Ремонт больницы в Косшы", "text": "Крыша течёт.", "category": "health"}
    response = client.post("/en/blogs/blog/ask/", {**typed, "check": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/en/questions/{hospital.pk}/"' in html and HOSPITAL in html
    assert 'value="Ремонт больницы в Косшы"' in html and "Крыша течёт." in html
    assert 'aria-live="polite"' in html
