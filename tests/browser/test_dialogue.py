"""Open Dialogue in a real browser.

Live: the official answers in the studio in one browser context while a citizen watches
the conference page in another; the answer appears on the citizen's page, and its live
region announces it, without a reload; both pages count as viewers; both pages pass
axe-core afterwards.

The live server speaks plain WSGI, as production's gunicorn does; websockets are served,
as in production, by daphne with `ashyq.asgi:application` (here in a thread of the test
process, on its own port). A reverse proxy sends `/ws/` to daphne in production; here an
init script in each page points the page's `/ws/` socket at daphne's port (same host, so
the session cookie goes with it). With the in-memory channel layer of the test settings,
a push from the live server's request thread is handed to daphne's event loop (the layer
below); with `REDIS_URL` set, the Redis layer of the settings is used as it is.

Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on the threads list, a
thread, the conferences list, an upcoming and an archived conference, a poll's form and
its results, in Kazakh, Russian and English.
"""

from __future__ import annotations

import asyncio
import datetime
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from django.db import connections
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import sign_in
from tests.browser.test_browser_accessibility import format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Who may get a free lawyer, and how do I ask for one?"
OTHER_QUESTION = "Can a lawyer come to a village court hearing?"
ANSWER = "Anyone whose income is below the subsistence minimum: apply at any public service centre."


# --- The websocket server -------------------------------------------------------------------


class ThreadSafeInMemoryChannelLayer(InMemoryChannelLayer):
    """The in-memory layer owned by daphne's event loop. Consumers use it there; a push
    from another thread (`live_push` in the live server's request, run by `async_to_sync`
    in a loop of its own) is handed to the owner loop, whose queues it fills."""

    owner_loop: asyncio.AbstractEventLoop | None = None

    async def group_send(self, group, message):
        owner = type(self).owner_loop
        if owner is None or owner is asyncio.get_running_loop():
            return await super().group_send(group, message)
        future = asyncio.run_coroutine_threadsafe(super().group_send(group, message), owner)
        return await asyncio.wrap_future(future)


_ws_server: dict = {}


def _websocket_port() -> int:
    """Daphne serving `ashyq.asgi:application` in a daemon thread of this process, started
    once (Twisted's reactor runs once per process) and left running until the process ends."""
    if "port" in _ws_server:
        return _ws_server["port"]
    import daphne.server  # installs the asyncio reactor (the daphne app did already)

    from ashyq.asgi import application

    ready = threading.Event()
    server = daphne.server.Server(
        application=application,
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
        ready_callable=ready.set,
    )
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    if not ready.wait(15) or not server.listening_addresses:
        pytest.fail("daphne did not start in the test process")
    ThreadSafeInMemoryChannelLayer.owner_loop = daphne.server.twisted_loop
    _ws_server.update(port=server.listening_addresses[0][1], server=server, thread=thread)
    return _ws_server["port"]


@pytest.fixture
def live_contexts(browser, live_server, site_home, settings):
    """Factory of browser contexts whose `/ws/` reaches daphne (see the module docstring)."""
    from ashyq.live import presence

    if settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer":
        settings.CHANNEL_LAYERS = {
            "default": {"BACKEND": f"{__name__}.ThreadSafeInMemoryChannelLayer"}
        }
    settings.LIVE_PRESENCE_INTERVAL = 0.3
    presence.reset()
    port = _websocket_port()
    redirect = f"""
        (() => {{
          const Native = window.WebSocket;
          class ToDaphne extends Native {{
            constructor(url, protocols) {{
              const target = new URL(url, window.location.href);
              if (target.pathname === "/ws/") target.port = "{port}";
              super(target.href, protocols);
            }}
          }}
          window.WebSocket = ToDaphne;
        }})();
    """
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(redirect)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    _on_daphne_loop(_stop_presence_tasks)
    presence.reset()
    # Channels runs daphne's database work in one thread: close its connection, so that
    # the test database can be flushed now and dropped at the end.
    _on_daphne_loop(database_sync_to_async(connections.close_all))


def _on_daphne_loop(coroutine_function) -> None:
    """Run `coroutine_function()` on daphne's event loop and wait for it."""
    loop = ThreadSafeInMemoryChannelLayer.owner_loop
    if loop is not None and loop.is_running():
        asyncio.run_coroutine_threadsafe(coroutine_function(), loop).result(timeout=10)


async def _stop_presence_tasks() -> None:
    """The viewer-count broadcasts and heartbeat this test left on daphne's loop would
    otherwise go on counting the presence groups of tests that run after it."""
    from ashyq.live import presence

    loop = asyncio.get_running_loop()
    for task in [presence._heartbeat, *presence._pending.values()]:
        if task is not None and task.get_loop() is loop:
            task.cancel()


def wait_for_live_socket(page) -> None:
    page.wait_for_function("() => window.ashyqLive && window.ashyqLive.readyState === 1")


# --- Data ------------------------------------------------------------------------------------


@pytest.fixture
def people(site_home, agencies, make_user):
    """The Ministry of Justice: its head and its deputy minister (a responder, the
    conference's official); two citizens."""
    from accounts.models import Membership

    ministry = agencies["ministry"]
    head = make_user(email="head@adilet.gov.kz", display_name="Head", first_name="Aliya")
    Membership.objects.create(
        user=head,
        agency=ministry,
        role=Membership.Role.HEAD,
        position_kk="Министр",
        position_ru="Министр",
        position_en="Minister",
    )
    official = make_user(
        email="deputy@adilet.gov.kz",
        display_name="Deputy",
        first_name="Marat",
        last_name="Seitkali",
    )
    Membership.objects.create(
        user=official,
        agency=ministry,
        role=Membership.Role.RESPONDER,
        position_kk="Вице-министр",
        position_ru="Вице-министр",
        position_en="Deputy Minister",
    )
    citizen = make_user(
        email="dana@example.kz", display_name="Dana", first_name="Dana", region="astana"
    )
    neighbour = make_user(
        email="erlan@example.kz", display_name="Erlan", first_name="Erlan", region="astana"
    )
    return {
        "ministry": ministry,
        "head": head,
        "official": official,
        "citizen": citizen,
        "neighbour": neighbour,
    }


def schedule_conference(people, *, topic: str, questions: list[str]):
    """A conference of the deputy minister tomorrow, with published questions (one per
    citizen, in turn), all through the services."""
    from django.utils import timezone

    from dialogue.conferences import services

    now = timezone.now()
    conference = services.conference_schedule(
        agency=people["ministry"],
        official=people["official"],
        topic=topic,
        description="Who may get a free lawyer, and how to ask for one.",
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=2),
        actor=people["head"],
    )
    authors = [people["citizen"], people["neighbour"]]
    published = []
    for number, text in enumerate(questions):
        question = services.question_submit(
            conference=conference, author=authors[number % len(authors)], text=text
        )
        published.append(services.question_publish(question=question, actor=people["head"]))
    return conference, published


def move_conference(conference, *, starts_at, ends_at):
    """Put the conference's window around real now (the service schedules only in the
    future): the phase is derived from the dates, so this is what the clock would do."""
    from dialogue.conferences.models import Conference

    Conference.objects.filter(pk=conference.pk).update(starts_at=starts_at, ends_at=ends_at)
    conference.refresh_from_db()
    return conference


def live_conference(people):
    from django.utils import timezone

    conference, questions = schedule_conference(
        people, topic="Free legal aid", questions=[QUESTION, OTHER_QUESTION]
    )
    now = timezone.now()
    move_conference(
        conference,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=1),
    )
    return conference, questions


# --- Live ------------------------------------------------------------------------------------


def test_the_answer_reaches_the_watching_citizen_without_reload(
    live_contexts, people, password, axe
):
    from dialogue.conferences.models import ConferenceQuestion

    conference, (question, _other) = live_conference(people)
    detail = f"/en/dialogue/conferences/{conference.pk}/"

    citizen = live_contexts().new_page()
    sign_in(citizen, "dana@example.kz", password)
    citizen.goto(detail)
    expect(citizen.locator("#cf-answered-list")).to_be_attached()
    expect(citizen.locator("#cf-no-answers")).to_be_visible()
    wait_for_live_socket(citizen)
    citizen.evaluate("() => { window.__marker = 'still the same page'; }")
    viewers = citizen.locator("#cf-viewer-count")
    expect(viewers).to_have_text("1")

    official = live_contexts().new_page()
    sign_in(official, "deputy@adilet.gov.kz", password)
    official.goto(f"/en/dialogue/conferences/{conference.pk}/studio/")
    wait_for_live_socket(official)
    # The studio subscribes to the conference too: two people are watching.
    expect(viewers).to_have_text("2")

    item = official.locator(f"#question-{question.pk}")
    item.get_by_label("Answer").fill(ANSWER)
    item.get_by_role("button", name="Publish the answer").click()
    expect(official.locator("#cf-studio-status")).to_contain_text("published")
    expect(official.locator(f"#question-{question.pk}")).to_have_count(0)

    answered = citizen.locator("#cf-answered-list")
    expect(answered.locator(f"#question-{question.pk}")).to_contain_text(ANSWER)
    expect(answered.locator(f"#question-{question.pk}")).to_contain_text(QUESTION)
    expect(answered.locator(f"#question-{question.pk}")).to_contain_text("Marat Seitkali")
    expect(citizen.locator("#cf-no-answers")).to_be_hidden()
    expect(citizen.locator("#cf-answered-count")).to_have_text("1")
    # The answer left the waiting list, and a screen reader hears of it.
    expect(citizen.locator(f"#cf-waiting-list #question-{question.pk}")).to_have_count(0)
    announcer = citizen.locator("#cf-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_contain_text(QUESTION[:40])
    # The page handled the event itself: no generic "reload to see it" notice.
    expect(citizen.locator("#live-region")).to_be_hidden()
    assert citizen.evaluate("() => window.__marker") == "still the same page"

    stored = ConferenceQuestion.objects.get(pk=question.pk)
    assert stored.answer_text == ANSWER
    assert stored.answered_by == people["official"]

    # The live page as the script left it, and the studio, pass axe-core too.
    failures = []
    for name, page in (("live conference after the answer", citizen), ("studio", official)):
        violations = axe(page)
        if violations:
            failures.append(format_violations(name, violations))
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(failures)


# --- Accessibility -----------------------------------------------------------------------------


@pytest.fixture
def dialogue_content(people):
    """A thread with a comment and the ministry's reply; an upcoming conference with two
    questions and an archived one with an answer; an open poll of three questions."""
    from django.utils import timezone

    from dialogue import services as dialogue_services
    from dialogue.conferences import services as conference_services
    from dialogue.polls import services as poll_services
    from dialogue.polls.models import QuestionKind
    from dialogue.threads import services as thread_services
    from dialogue.threads.models import ThreadCategory

    thread = thread_services.thread_start(
        author=people["citizen"],
        title="The 7:40 bus on route 12 runs late",
        text="Every morning this week the bus came thirty minutes late.",
        category=ThreadCategory.TRANSPORT,
        region="astana",
        addressee=people["ministry"],
    )
    dialogue_services.comment_post(
        target=thread, author=people["neighbour"], text="The same on route 14."
    )
    dialogue_services.comment_post(
        target=thread,
        author=people["head"],
        text="We have asked the city's transport department to check the timetable.",
        as_official=True,
    )

    upcoming, _questions = schedule_conference(
        people,
        topic="Notaries and their fees",
        questions=["Why do notaries' fees differ between cities?", "Can I sign a will online?"],
    )

    archived, (answered, _unanswered) = schedule_conference(
        people, topic="Free legal aid", questions=[QUESTION, OTHER_QUESTION]
    )
    now = timezone.now()
    move_conference(
        archived,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=1),
    )
    conference_services.question_answer(question=answered, actor=people["official"], text=ANSWER)
    move_conference(
        archived,
        starts_at=now - datetime.timedelta(days=1, hours=2),
        ends_at=now - datetime.timedelta(days=1),
    )

    poll = poll_services.poll_create(
        agency=people["ministry"],
        actor=people["head"],
        title="E-government services",
        description="Tell us how the services work for you.",
        language="en",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7),
    )
    for spec in (
        {
            "kind": QuestionKind.SINGLE,
            "text": "How often do you use e-government services?",
            "options": ["Every week", "Every month", "Rarely", "Never"],
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "Which services should be improved first?",
            "options": ["Licences", "Benefits", "Taxes", "Registration"],
            "max_choices": 2,
        },
        {"kind": QuestionKind.TEXT, "text": "What else should we know?", "required": False},
    ):
        poll_services.question_add(poll=poll, actor=people["head"], **spec)
    poll_services.poll_publish(poll=poll, actor=people["head"])
    return {"thread": thread, "upcoming": upcoming, "archived": archived, "poll": poll}


def take_part(poll, user) -> None:
    from dialogue.polls import services as poll_services

    first, second, _third = poll.questions.order_by("position").prefetch_related("options")
    answers = {
        first.pk: first.options.order_by("position")[0].pk,
        second.pk: [option.pk for option in second.options.order_by("position")[:2]],
    }
    poll_services.poll_submit(poll=poll, user=user, answers=answers)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_dialogue_pages_pass_axe(new_context, dialogue_content, people, password, axe, lang):
    """Every WCAG 2.1 A/AA rule axe-core runs passes, whatever its impact: the pages of
    one language in one test, so the report lists every failing page at once. A signed-in
    citizen, so the forms (comment, question, poll) are on the pages."""
    thread = dialogue_content["thread"]
    poll = dialogue_content["poll"]
    page = new_context(locale={"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}[lang]).new_page()
    sign_in(page, "dana@example.kz", password)
    upcoming, archived = dialogue_content["upcoming"], dialogue_content["archived"]
    # (name, path without the language, what shows the page has its content)
    pages = [
        ("threads list", "/dialogue/threads/", f"main a[href$='/dialogue/threads/{thread.pk}/']"),
        ("thread", f"/dialogue/threads/{thread.pk}/", "main form textarea"),
        (
            "conferences list",
            "/dialogue/conferences/",
            f"main a[href$='/dialogue/conferences/{upcoming.pk}/']",
        ),
        ("upcoming conference", f"/dialogue/conferences/{upcoming.pk}/", "#ask form textarea"),
        ("archived conference", f"/dialogue/conferences/{archived.pk}/", "#cf-answered-list li"),
        ("poll form", f"/dialogue/polls/{poll.pk}/", "main form input[type=radio]"),
        ("poll results", f"/dialogue/polls/{poll.pk}/results/", "main a[download]"),
    ]
    failures = []
    for name, path, expected in pages:
        if name == "poll results":
            take_part(poll, people["citizen"])  # results are shown to those who took part
        response = page.goto(f"/{lang}{path}")
        assert response.status == 200, f"{name} /{lang}{path}: HTTP {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator(expected).first).to_be_visible()
        violations = axe(page)
        if violations:
            failures.append(format_violations(f"{name} /{lang}{path}", violations))
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(failures)
