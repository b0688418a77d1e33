"""Official blogs in a real browser: a citizen asks, the agency's moderator publishes, the
responder answers from the work queue, the asker rates the answer; the work queue takes in a
new question without a reload; axe-core finds nothing serious on the blog, the question,
the ask form and the work queue.

The live server speaks plain WSGI (no websockets), so the work queue's live update is driven
by dispatching the same `ashyq:live` event live.js dispatches when the channel delivers
`blog_queue_changed`; the push itself is tested in tests/blogs (services and consumer).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
QUEUE = "/{lang}/questions/workspace/ministry-of-justice/queue/"


@pytest.fixture
def blog_setup(site_home, agencies, make_user):
    """The Minister of Justice's blog (kk, ru and en pages) and the ministry's staff."""
    from wagtail.models import Locale

    from accounts.models import Membership
    from blogs.models import BlogIndexPage, BlogPage

    ministry = agencies["ministry"]
    head = make_user(
        email="minister@example.kz",
        display_name="Minister",
        first_name="Azamat",
        last_name="Serikov",
    )
    moderator = make_user(email="moder@example.kz", display_name="Moderator")
    responder = make_user(
        email="responder@example.kz",
        display_name="Responder",
        first_name="Aliya",
        last_name="Nurlanova",
    )
    citizen = make_user(email="citizen@example.kz", display_name="Dana")
    for user, role in ((head, "head"), (moderator, "moderator"), (responder, "responder")):
        Membership.objects.create(user=user, agency=ministry, role=role)

    index = site_home.add_child(instance=BlogIndexPage(title="Блогтар", slug="blogs"))
    index.save_revision().publish()
    blog = index.add_child(
        instance=BlogPage(
            title="Әділет министрінің блогы",
            slug="minister",
            owner_user=head,
            agency=ministry,
            biography="<p>Әділет министрі.</p>",
        )
    )
    blog.save_revision().publish()
    for code, index_title, blog_title in (
        ("ru", "Блоги", "Блог министра юстиции"),
        ("en", "Blogs", "Blog of the Minister of Justice"),
    ):
        locale = Locale.objects.get(language_code=code)
        index_copy = index.copy_for_translation(locale)
        index_copy.title = index_title
        index_copy.save_revision().publish()
        blog_copy = blog.copy_for_translation(locale)
        blog_copy.title = blog_title
        blog_copy.save_revision().publish()
    blog = BlogPage.objects.get(pk=blog.pk)
    return {
        "blog": blog,
        "ministry": ministry,
        "moderator": moderator,
        "responder": responder,
        "citizen": citizen,
    }


def test_ask_moderate_answer_rate(new_context, blog_setup, password, save_screenshot):
    from blogs.models import Question

    citizen = new_context().new_page()
    sign_in(citizen, "citizen@example.kz", password)
    citizen.goto("/en/blogs/minister/")
    citizen.get_by_role("link", name="Ask a question").first.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Ask a question")
    # An empty question is refused next to the field and nothing is sent.
    citizen.get_by_role("button", name="Send my question").click()
    expect(citizen.locator(".errorlist").first).to_be_visible()
    assert not Question.objects.exists()
    citizen.get_by_label("Your question in one sentence").fill(
        "When will the notary office in Kosshy reopen?"
    )
    citizen.get_by_label("Details").fill("It has been closed since spring; we travel to Astana.")
    citizen.get_by_label("Hide my name from the public").check()
    citizen.get_by_role("button", name="Check for similar questions").click()
    expect(citizen.locator("#similar-questions")).to_contain_text("No answered question")
    citizen.get_by_role("button", name="Send my question").click()
    expect(citizen).to_have_url(re.compile(r"/en/questions/\d+/$"))
    question = Question.objects.get()
    assert question.state == "submitted" and question.name_hidden

    staff = new_context()
    moderator = staff.new_page()
    sign_in(moderator, "moder@example.kz", password)
    moderator.goto("/en/questions/workspace/ministry-of-justice/moderation/")
    expect(moderator.locator("main")).to_contain_text("When will the notary office")
    moderator.get_by_role("button", name="Publish").first.click()
    question.refresh_from_db()
    assert question.state == "published" and question.obligation_id

    responder = new_context().new_page()
    sign_in(responder, "responder@example.kz", password)
    responder.goto(QUEUE.format(lang="en"))
    queue = responder.locator("#work-queue")
    expect(queue).to_contain_text("When will the notary office")
    responder.get_by_role("link", name="When will the notary office in Kosshy reopen?").click()
    responder.get_by_label("Answer", exact=True).fill("The office reopens on 1 June.")
    responder.get_by_label("Final answer: closes the question").check()
    responder.get_by_role("button", name="Publish the answer").click()
    expect(responder.locator("main")).to_contain_text("The office reopens on 1 June.")
    assert question.answers.get().is_final

    citizen.reload()
    expect(citizen.locator("main")).to_contain_text("The office reopens on 1 June.")
    citizen.get_by_label("Satisfied", exact=True).check()
    citizen.get_by_role("button", name="Send my verdict").click()
    expect(citizen.locator("main")).to_contain_text("The asker's verdict:")
    assert question.rating.verdict == "satisfied"
    # The public sees the withheld name, never the asker's.
    visitor = new_context().new_page()
    visitor.goto(f"/en/questions/{question.pk}/")
    expect(visitor.locator("main")).to_contain_text("Name withheld at the asker's request")
    expect(visitor.locator("main")).not_to_contain_text("Dana")
    save_screenshot(visitor, "blogs-question-answered")


def test_the_work_queue_takes_in_a_new_question_without_reloading(
    new_context, blog_setup, password
):
    from blogs import services
    from blogs.models import Question

    setup = blog_setup
    first = services.question_submit(
        blog=setup["blog"], asker=setup["citizen"], title="First question", text="Text one."
    )
    services.question_publish(question=first, actor=setup["moderator"])

    page = new_context().new_page()
    sign_in(page, "responder@example.kz", password)
    page.goto(QUEUE.format(lang="en"))
    expect(page.locator("#work-queue")).to_contain_text("First question")
    page.evaluate("window.__notReloaded = true")

    second = services.question_submit(
        blog=setup["blog"], asker=setup["citizen"], title="Second question", text="Text two."
    )
    services.question_publish(question=second, actor=setup["moderator"])
    group = services.work_queue_group(setup["ministry"].pk)
    page.evaluate(
        """([group, id]) => document.dispatchEvent(new CustomEvent("ashyq:live", {
            detail: {group: group, event: "blog_queue_changed", payload: {question: id}},
            cancelable: true,
        }))""",
        [group, second.pk],
    )
    expect(page.locator("#work-queue")).to_contain_text("Second question")
    expect(page.locator("#live-region")).to_contain_text("The work queue was updated")
    assert page.evaluate("window.__notReloaded") is True
    assert Question.objects.count() == 2


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_serious_axe_violations_on_blog_pages(
    new_context, blog_setup, password, axe, save_screenshot, lang
):
    from blogs import services

    setup = blog_setup
    question = services.question_submit(
        blog=setup["blog"],
        asker=setup["citizen"],
        title="Is the registry open on Saturdays?",
        text="I work on weekdays.",
    )
    services.question_publish(question=question, actor=setup["moderator"])
    services.question_answer(
        question=question, responder=setup["responder"], text="Yes, 9 to 13.", is_final=True
    )
    services.question_submit(
        blog=setup["blog"], asker=setup["citizen"], title="Awaiting moderation", text="Text."
    )
    awaiting = services.question_submit(
        blog=setup["blog"], asker=setup["citizen"], title="Awaiting an answer", text="Text."
    )
    services.question_publish(question=awaiting, actor=setup["moderator"])
    page = new_context().new_page()
    sign_in(page, "citizen@example.kz", password)
    staff = new_context().new_page()
    sign_in(staff, "responder@example.kz", password)
    moderator = new_context().new_page()
    sign_in(moderator, "moder@example.kz", password)
    failures = []
    for viewer, path in (
        (page, f"/{lang}/blogs/"),
        (page, f"/{lang}/blogs/minister/"),
        (page, f"/{lang}/blogs/minister/questions/"),
        (page, f"/{lang}/blogs/minister/ask/"),
        (page, f"/{lang}/questions/{question.pk}/"),
        (staff, QUEUE.format(lang=lang)),
        (moderator, f"/{lang}/questions/workspace/ministry-of-justice/moderation/"),
    ):
        response = viewer.goto(path)
        assert response.status == 200, path
        for violation in axe(viewer):
            if violation["impact"] in BLOCKING:
                failures.append(f"{path}: {violation['id']} {violation['targets']}")
        save_screenshot(viewer, f"blogs-{lang}-{path.strip('/').replace('/', '-')}")
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
