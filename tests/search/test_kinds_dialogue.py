"""Internet conferences, their questions and polls in search, through the real services,
on every backend: what the public pages show is found once its write commits; what
moderators did not publish, drafts and people's answers never are; statuses follow the
clock through `index_refresh`."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.models import Membership
from dialogue.conferences import services as conference_services
from dialogue.conferences.models import Conference, ConferenceQuestion
from dialogue.polls import services as poll_services
from dialogue.polls.models import PollOption
from search import services
from search.models import Entry
from tests.dialogue.conferences.conftest import AFTER, BEFORE, DURING, ENDS, SCHEDULED, STARTS
from tests.dialogue.polls.conftest import CLOSES, make_poll, questions, submit
from tests.factories import MembershipFactory, UserFactory
from tests.search.conftest import committed
from tests.search.test_kinds import found, indexed_text

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def hits(**kwargs) -> list[tuple[str, str, str]]:
    return [(hit.kind, hit.title, hit.status) for hit in services.search(**kwargs).hits]


@pytest.fixture(autouse=True)
def _on_the_eve():
    """Unless a test travels elsewhere it runs on Wednesday 11 March 2026, the day before
    the conference (upcoming); the standard poll is open from 9 to 20 March."""
    with time_machine.travel(BEFORE, tick=False):
        yield


# --- internet conferences ---------------------------------------------------------------------


@pytest.fixture
def official(agency_with_staff):
    user = UserFactory(
        email="deputy@justice.gov.kz", first_name="Marat", last_name="Seitkali", display_name=""
    )
    MembershipFactory(
        agency=agency_with_staff.agency,
        user=user,
        role=Membership.Role.RESPONDER,
        position_kk="Вице-министр",
        position_ru="Вице-министр",
        position_en="Deputy Minister",
    )
    return user


@pytest.fixture
def conference(agency_with_staff, official) -> Conference:
    with time_machine.travel(SCHEDULED, tick=False), committed():
        return conference_services.conference_schedule(
            agency=agency_with_staff.agency,
            official=official,
            topic="Free legal aid",
            description="Who may get a free lawyer, and how.",
            starts_at=STARTS,
            ends_at=ENDS,
            actor=agency_with_staff.moderator,
        )


@pytest.fixture
def asker(db):
    return UserFactory(
        email="dana.private@example.kz", display_name="Dana Zhaksylykova", first_name="Dana"
    )


def ask(conference: Conference, text: str, author=None) -> ConferenceQuestion:
    """A question submitted (awaiting moderation)."""
    return conference_services.question_submit(
        conference=conference, author=author or UserFactory(), text=text
    )


def publish(question: ConferenceQuestion, staff) -> ConferenceQuestion:
    return conference_services.question_publish(question=question, actor=staff.moderator)


def test_a_conference_is_found_by_its_topic_official_and_description(
    backend, conference, agency_with_staff
):
    assert found(backend, q="legal aid") == [("conference", "Free legal aid")]
    assert found(backend, q="Seitkali deputy minister") == [("conference", "Free legal aid")]
    assert found(backend, q="free lawyer") == [("conference", "Free legal aid")]
    results = services.search(q="legal aid")
    hit = results.hits[0]
    assert (hit.status, hit.agency_id, hit.language) == (
        "upcoming",
        agency_with_staff.agency.pk,
        "en",
    )
    assert hit.url.endswith(f"/conferences/{conference.pk}/")
    assert results.facets["status"] == {"upcoming": 1}


def test_a_conferences_status_and_its_questions_follow_the_clock(
    backend, conference, agency_with_staff
):
    with committed():
        question = publish(ask(conference, "Can a pensioner get a free lawyer?"), agency_with_staff)
    entry = Entry.objects.get(kind="conference_question")
    assert (entry.status, entry.refresh_at) == ("awaiting_answer", ENDS)
    assert Entry.objects.get(kind="conference").refresh_at == STARTS

    assert services.index_refresh() == 0
    with time_machine.travel(STARTS + MINUTE, tick=False):
        assert services.index_refresh() == 1  # the conference: live
        assert hits(q="legal aid", kinds=["conference"]) == [
            ("conference", "Free legal aid", "live")
        ]
    with time_machine.travel(ENDS + MINUTE, tick=False):
        assert services.index_refresh() == 2  # archived; the question was not answered
    with time_machine.travel(AFTER, tick=False):
        assert hits(q="legal aid", kinds=["conference"]) == [
            ("conference", "Free legal aid", "archived")
        ]
        assert hits(q="pensioner") == [("conference_question", question.text, "unanswered")]
        assert services.index_refresh() == 0


def test_a_cancelled_conference_is_found_with_its_reason(backend, conference, agency_with_staff):
    with committed():
        question = publish(ask(conference, "Who pays for the lawyer?"), agency_with_staff)
    with committed():
        conference_services.conference_cancel(
            conference=conference,
            actor=agency_with_staff.moderator,
            reason="The deputy minister is travelling abroad.",
        )

    assert hits(q="travelling abroad") == [("conference", "Free legal aid", "cancelled")]
    # Its page still lists the published questions: no answer will come.
    assert hits(q="pays lawyer") == [("conference_question", question.text, "unanswered")]
    assert Entry.objects.filter(refresh_at__isnull=False).count() == 0


def test_only_published_questions_are_found_and_not_while_hidden(
    backend, conference, agency_with_staff
):
    staff = agency_with_staff
    with committed():
        ask(conference, "Is a pending question about notaries found?")
        rejected = ask(conference, "Is a rejected question about notaries found?")
        conference_services.question_reject(
            question=rejected, actor=staff.moderator, reason="off_topic"
        )
    assert found(backend, q="notaries") == []

    with committed():
        question = publish(ask(conference, "Do notaries give free advice?"), staff)
    results = services.search(q="notaries")
    assert [(hit.kind, hit.title) for hit in results.hits] == [
        ("conference_question", "Do notaries give free advice?")
    ]
    hit = results.hits[0]
    assert hit.url.endswith(f"/conferences/{conference.pk}/#question-{question.pk}")
    assert (hit.status, hit.agency_id) == ("awaiting_answer", staff.agency.pk)
    assert hit.extra["context"] == "Free legal aid"
    entry = Entry.objects.get(kind="conference_question")
    assert entry.parent == f"conferences.conference:{conference.pk}"

    with committed():
        conference_services.question_hide(question=question, reason="abuse", actor=staff.moderator)
    assert found(backend, q="notaries") == []

    with committed():
        conference_services.question_restore(question=question, actor=staff.moderator)
    assert [kind for kind, _title in found(backend, q="notaries")] == ["conference_question"]
    indexed = Entry.objects.filter(kind="conference_question").values_list("object_pk", flat=True)
    assert set(indexed) == {str(question.pk)}
    assert "pending question" not in indexed_text()
    assert "rejected question" not in indexed_text()


def test_an_answer_finds_its_question_which_becomes_answered(
    backend, conference, agency_with_staff, official
):
    with committed():
        question = publish(ask(conference, "How long do I wait for a lawyer?"), agency_with_staff)
    with time_machine.travel(DURING, tick=False), committed():
        conference_services.question_answer(
            question=ConferenceQuestion.objects.get(pk=question.pk),
            actor=official,
            text="The bar association assigns one within three working days.",
        )

    with time_machine.travel(DURING, tick=False):
        results = services.search(q="bar association assigns")
        assert [(hit.kind, hit.title, hit.status) for hit in results.hits] == [
            ("conference_question", "How long do I wait for a lawyer?", "answered")
        ]
        assert results.facets["status"] == {"answered": 1}
    assert Entry.objects.get(kind="conference_question").refresh_at is None


def test_editing_the_conference_updates_its_questions_context(
    backend, conference, agency_with_staff
):
    with committed():
        publish(ask(conference, "Is the consultation free for students?"), agency_with_staff)
    with committed():
        conference_services.conference_update(
            conference=Conference.objects.get(pk=conference.pk),
            actor=agency_with_staff.moderator,
            topic="Legal aid for students",
        )

    results = services.search(q="consultation students", kinds=["conference_question"])
    assert [hit.extra["context"] for hit in results.hits] == ["Legal aid for students"]


def test_no_email_is_indexed_and_the_askers_name_is_display_data_only(
    backend, conference, agency_with_staff, asker
):
    with committed():
        publish(ask(conference, "Can I get a lawyer for a housing case?", asker), agency_with_staff)

    entries = list(
        Entry.objects.filter(kind__startswith="conference").values_list(
            "title", "body", "url", "extra"
        )
    )
    assert len(entries) == 2  # the conference and the question
    for title, body, url, extra in entries:
        assert "Dana" not in f"{title} {body} {url}"
        assert "@" not in f"{title} {body} {url} {extra}"
    text = indexed_text()
    assert "dana.private" not in text and "@justice.gov.kz" not in text
    assert Entry.objects.get(kind="conference_question").extra["author"] == "Dana Zhaksylykova"
    assert found(backend, q="Zhaksylykova") == []

    with committed():
        asker.display_name = "D. Z."
        asker.save(update_fields=["display_name"])
    assert "Dana Zhaksylykova" not in indexed_text()


# --- polls ------------------------------------------------------------------------------------


@pytest.fixture
def poll_draft(agency_with_staff):
    with committed():
        return make_poll(agency_with_staff, publish=False)


def test_a_poll_is_found_once_published_not_as_a_draft(backend, poll_draft, agency_with_staff):
    assert found(backend, q="e-government services") == []

    with committed():
        poll_services.poll_publish(poll=poll_draft, actor=agency_with_staff.responder)

    assert hits(q="e-government services") == [("poll", "E-government services", "open")]
    # Its questions and their options are found too.
    assert found(backend, q="improved first") == [("poll", "E-government services")]
    assert found(backend, q="licences registration") == [("poll", "E-government services")]
    hit = services.search(q="licences").hits[0]
    assert (hit.agency_id, hit.language) == (agency_with_staff.agency.pk, "en")
    assert hit.url.endswith(f"/polls/{poll_draft.pk}/")


def test_a_polls_status_follows_the_clock(backend, agency_with_staff):
    with committed():
        poll = make_poll(
            agency_with_staff, opens_at=BEFORE + datetime.timedelta(days=2), closes_at=CLOSES
        )
    assert Entry.objects.get(kind="poll").status == "upcoming"

    assert services.index_refresh() == 0
    with time_machine.travel(poll.opens_at + MINUTE, tick=False):
        assert services.index_refresh() == 1
        assert hits(q="e-government") == [("poll", "E-government services", "open")]
    with time_machine.travel(CLOSES + MINUTE, tick=False):
        assert services.index_refresh() == 1
        assert hits(q="e-government") == [("poll", "E-government services", "closed")]
        assert services.index_refresh() == 0


def test_a_cancelled_poll_is_found_with_its_reason_a_cancelled_draft_is_not(
    backend, poll_draft, agency_with_staff
):
    staff = agency_with_staff
    with committed():
        poll = make_poll(staff, title="Court fees survey")
        poll_services.poll_cancel(poll=poll, actor=staff.responder, reason="A duplicate survey.")
        poll_services.poll_cancel(poll=poll_draft, actor=staff.responder, reason="Superseded.")

    assert hits(q="duplicate survey") == [("poll", "Court fees survey", "cancelled")]
    assert found(backend, q="e-government") == [("poll", "Court fees survey")]
    assert found(backend, q="superseded") == []


def test_free_text_answers_are_never_indexed(backend, agency_with_staff):
    with committed():
        poll = make_poll(agency_with_staff)
    with committed():
        submit(poll, UserFactory(), text="Zhambyl queueing nightmare at the registry office")

    with committed():
        # Whatever else re-indexes the poll, the answers stay out.
        poll.description = "Tell us candidly how the services work for you."
        poll.save(update_fields=["description"])

    assert found(backend, q="queueing nightmare") == []
    assert found(backend, q="candidly") == [("poll", "E-government services")]
    assert "nightmare" not in indexed_text()


def test_editing_a_polls_questions_or_options_reindexes_it(backend, agency_with_staff):
    with committed():
        poll = make_poll(agency_with_staff)
    first = questions(poll)[0]

    # Questions are fixed once published by the services; an administrator may still
    # correct a typo in the admin.
    with committed():
        first.text = "How often do you use the eGov portal?"
        first.save(update_fields=["text"])
    with committed():
        option = PollOption.objects.get(question=first, position=4)
        option.text = "Hardly ever"
        option.save(update_fields=["text"])

    assert found(backend, q="egov portal") == [("poll", "E-government services")]
    assert found(backend, q="hardly") == [("poll", "E-government services")]
    assert found(backend, q="never") == []
