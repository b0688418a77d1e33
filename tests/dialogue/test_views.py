"""The comments on an announcement, without JavaScript: reading, posting, replying, voting,
editing, withdrawing, errors that keep the text, hidden placeholders, in kk/ru/en."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from dialogue import services
from dialogue.models import Comment
from tests.factories import UserFactory, home_page, translate

pytestmark = pytest.mark.django_db


def post_url(announcement, lang: str = "kk") -> str:
    from dialogue.commentable import content_type_of

    return f"/{lang}/comments/on/{content_type_of(announcement).pk}/{announcement.pk}/post/"


@pytest.mark.parametrize(
    ("language", "heading", "sign_in"),
    [
        ("kk", None, None),
        ("ru", None, None),
        ("en", "1 comment", "Sign in to comment"),
    ],
)
def test_anonymous_reads_comments_in_each_language(
    client, news, announcement, language, heading, sign_in
):
    page = announcement
    if language != "kk":
        home_page(language)
        translate(news, language)
        page = translate(announcement, language)
    services.comment_post(target=page, author=UserFactory(display_name="Dana"), text="*Hello*")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in html
    assert "<em>Hello</em>" in html and "Dana" in html
    assert 'id="comments"' in html
    assert 'data-live-groups="comments.' in html
    assert "/accounts/login/?next=" in html
    if heading:
        assert heading in html and sign_in in html
    assert "<textarea" not in html.split('id="comments"')[1].split("comment-list")[0]


def test_verified_user_posts_without_javascript(client, announcement, verified_user):
    client.force_login(verified_user)
    page = client.get(announcement.url).content.decode()
    assert 'for="new-comment-text"' in page and 'id="new-comment-text"' in page

    response = client.post(post_url(announcement), {"text": "My **view**"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{announcement.url}#c{comment.pk}"
    page = client.get(announcement.url).content.decode()
    assert "My <strong>view</strong>" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write something before posting."), ("x" * 3001, "the limit is 3000")],
)
def test_errors_show_next_to_the_field_and_keep_the_text(
    client, announcement, verified_user, text, message
):
    client.force_login(verified_user)
    response = client.post(post_url(announcement, "en"), {"text": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'aria-invalid="true"' in html
    assert f">{text}</textarea>" in html
    assert not Comment.objects.exists()


def test_rate_limit_error_keeps_the_text(
    client, announcement, verified_user, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_RATE_LIMITS = {"user_per_minute": 1}
    client.force_login(verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(announcement), {"text": "First"})
    response = client.post(post_url(announcement), {"text": "Second thought"})
    assert response.status_code == 400
    assert "Second thought</textarea>" in response.content.decode()
    assert Comment.objects.count() == 1


def test_unverified_user_is_refused_but_keeps_the_text(client, announcement, unverified_user):
    client.force_login(unverified_user)
    page = client.get(announcement.url).content.decode()
    assert 'href="/kk/accounts/email/"' in page and "<textarea" not in page
    response = client.post(post_url(announcement), {"text": "Let me in"})
    assert response.status_code == 403
    assert "Let me in</textarea>" in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_post_goes_to_sign_in(client, announcement):
    response = client.post(post_url(announcement), {"text": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reply_page_vote_and_show_replies(client, announcement, verified_user):
    author = UserFactory(display_name="Bolat")
    parent = services.comment_post(target=announcement, author=author, text="Question")
    client.force_login(verified_user)

    page = client.get(f"/kk/comments/{parent.pk}/reply/")
    assert page.status_code == 200 and "Question" in page.content.decode()
    response = client.post(f"/kk/comments/{parent.pk}/reply/", {"text": "An answer"})
    reply = Comment.objects.get(reply_to=parent)
    assert response["Location"].endswith(f"#c{reply.pk}")

    response = client.post(f"/kk/comments/{parent.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.score == 1
    html = client.get(announcement.url).content.decode()
    assert 'aria-pressed="true"' in html
    assert f'href="/kk/comments/{parent.pk}/replies/"' in html

    fragment = client.get(f"/kk/comments/{parent.pk}/replies/?fragment=1")
    assert "An answer" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    full = client.get(f"/kk/comments/{parent.pk}/replies/")
    assert "<html" in full.content.decode() and "An answer" in full.content.decode()
    assert "Question" in full.content.decode()


def test_reporting_a_reply_loaded_in_place_returns_to_the_page(client, announcement, verified_user):
    parent = services.comment_post(target=announcement, author=UserFactory(), text="Question")
    services.comment_post(target=announcement, author=UserFactory(), text="Reply", parent=parent)
    client.force_login(verified_user)

    fragment = client.get(f"/kk/comments/{parent.pk}/replies/?fragment=1").content.decode()

    assert f'name="next" value="{announcement.url}"' in fragment
    assert "?fragment=1" not in fragment.split('name="next"')[1].split(">")[0]


def test_vote_on_own_comment_is_forbidden(client, announcement, verified_user):
    comment = services.comment_post(target=announcement, author=verified_user, text="Mine")
    client.force_login(verified_user)
    assert client.post(f"/kk/comments/{comment.pk}/vote/", {"value": "1"}).status_code == 403
    assert client.post(f"/kk/comments/{comment.pk}/vote/", {"value": "7"}).status_code == 400


def test_edit_within_window_then_history(client, announcement, verified_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = services.comment_post(target=announcement, author=verified_user, text="Frist")
    client.force_login(verified_user)
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        form = client.get(f"/kk/comments/{comment.pk}/edit/")
        assert "Frist</textarea>" in form.content.decode()
        response = client.post(f"/kk/comments/{comment.pk}/edit/", {"text": "First"})
        assert response.status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=3), tick=False):
        html = client.get(announcement.url).content.decode()
        assert f'href="/kk/comments/{comment.pk}/history/"' in html
        history = client.get(f"/kk/comments/{comment.pk}/history/").content.decode()
        assert "Frist" in history and "First" in history
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        assert client.get(f"/kk/comments/{comment.pk}/edit/").status_code == 403


def test_withdraw_confirms_then_shows_a_placeholder(client, announcement, verified_user):
    comment = services.comment_post(target=announcement, author=verified_user, text="Regret")
    client.force_login(verified_user)
    assert client.get(f"/kk/comments/{comment.pk}/withdraw/").status_code == 200
    client.post(f"/kk/comments/{comment.pk}/withdraw/")
    comment.refresh_from_db()
    assert comment.is_withdrawn and comment.comment == "Regret"
    client.logout()
    html = client.get(announcement.url).content.decode()
    assert "Regret" not in html
    assert f'id="c{comment.pk}"' in html


def test_hidden_comment_shows_the_reason_to_the_public_and_the_text_to_moderators(
    client, announcement, verified_user, moderator
):
    comment = services.comment_post(target=announcement, author=verified_user, text="Nasty words")
    services.comment_hide(comment=comment, reason="abuse", actor=moderator)

    html = client.get(announcement.url).content.decode()
    assert "Nasty words" not in html
    assert "moderation-hidden" in html or "comment-placeholder" in html
    client.force_login(moderator)
    html = client.get(announcement.url).content.decode()
    assert "Nasty words" in html and "comment-hidden-text" in html


def test_new_comments_fragment_for_the_live_banner(client, announcement):
    from dialogue.commentable import content_type_of

    a = services.comment_post(target=announcement, author=UserFactory(), text="One")
    b = services.comment_post(target=announcement, author=UserFactory(), text="Two")
    url = f"/kk/comments/on/{content_type_of(announcement).pk}/{announcement.pk}/new/"
    html = client.get(f"{url}?ids={a.pk},{b.pk},x").content.decode()
    assert f'id="c{a.pk}"' in html and f'id="c{b.pk}"' in html
    assert "<html" not in html


def test_pagination_and_sorting(client, announcement, settings):
    settings.COMMENTS_PER_PAGE = 2
    people = [UserFactory() for _ in range(3)]
    first = services.comment_post(target=announcement, author=people[0], text="alpha")
    services.comment_post(target=announcement, author=people[1], text="beta")
    third = services.comment_post(target=announcement, author=people[2], text="gamma")
    services.comment_vote(comment=third, user=people[0], value=1)

    html = client.get(announcement.url).content.decode()
    assert "alpha" in html and "beta" in html and "gamma" not in html
    assert "comments_page=2" in html
    html = client.get(announcement.url + "?comments_page=2").content.decode()
    assert "gamma" in html and "alpha" not in html
    html = client.get(announcement.url + "?sort=supported").content.decode()
    assert html.index("gamma") < html.index("alpha")
    html = client.get(announcement.url + "?sort=newest").content.decode()
    assert "gamma" in html and "alpha" not in html
    html = client.get(announcement.url + "?comments_page=99&sort=bogus").content.decode()
    assert "gamma" in html  # clamped to the last page
    assert first.pk


def test_unknown_targets_are_404(client):
    assert client.get("/kk/comments/on/99999/1/").status_code == 404
    assert client.get("/kk/comments/424242/replies/").status_code == 404


def test_comments_page_of_its_own(client, announcement):
    from dialogue.commentable import content_type_of

    services.comment_post(target=announcement, author=UserFactory(), text="Standalone")
    url = f"/kk/comments/on/{content_type_of(announcement).pk}/{announcement.pk}/"
    html = client.get(url).content.decode()
    assert "Standalone" in html and 'data-live-groups="comments.' in html
