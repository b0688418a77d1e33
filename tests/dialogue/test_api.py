"""/api/v1/comments/: top-level comments of a target, replies of a comment, placeholders for
hidden and withdrawn comments, public names only."""

from __future__ import annotations

import pytest

from dialogue import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listing(client, announcement, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(
        f"/api/v1/comments/?target_type=cms.announcementpage&target_id={announcement.pk}&{query}"
    )


def test_lists_top_level_with_counts_and_no_personal_data(
    client, announcement, agency_with_staff, moderator
):
    citizen = UserFactory(email="private@example.kz", display_name="Aliya")
    top = services.comment_post(target=announcement, author=citizen, text="Question *one*")
    services.comment_post(
        target=announcement,
        author=agency_with_staff.responder,
        text="Our answer",
        parent=top,
        as_official=True,
    )
    hidden = services.comment_post(target=announcement, author=UserFactory(), text="Insult")
    services.comment_hide(comment=hidden, reason="abuse", actor=moderator)

    response = listing(client, announcement)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["author"] == "Aliya" and first["text"] == "Question *one*"
    assert first["html"] == "<p>Question <em>one</em></p>"
    assert (first["replies"], first["reply_count"], first["parent"]) == (1, 1, None)
    assert first["target_type"] == "cms.announcementpage"
    assert first["url"].endswith(f"#c{top.pk}")
    assert second["state"] == "hidden" and second["text"] is None and second["html"] is None
    assert second["hidden_reason"]
    assert "@" not in response.content.decode()

    replies = client.get(f"/api/v1/comments/?parent={top.pk}").json()["results"]
    assert len(replies) == 1
    assert replies[0]["is_official"] is True and replies[0]["agency"] == "ministry-of-justice"
    assert replies[0]["level"] == 1


def test_sort_and_retrieve(client, announcement):
    people = [UserFactory() for _ in range(3)]
    a = services.comment_post(target=announcement, author=people[0], text="a")
    b = services.comment_post(target=announcement, author=people[1], text="b")
    services.comment_vote(comment=b, user=people[2], value=1)
    ids = [row["id"] for row in listing(client, announcement, sort="supported").json()["results"]]
    assert ids == [b.pk, a.pk]
    ids = [row["id"] for row in listing(client, announcement, sort="newest").json()["results"]]
    assert ids == [b.pk, a.pk]
    ids = [row["id"] for row in listing(client, announcement).json()["results"]]
    assert ids == [a.pk, b.pk]
    assert client.get(f"/api/v1/comments/{a.pk}/").json()["text"] == "a"


def test_withdrawn_text_is_not_published(client, announcement, verified_user):
    comment = services.comment_post(target=announcement, author=verified_user, text="Oops")
    services.comment_withdraw(comment=comment, author=verified_user)
    row = listing(client, announcement).json()["results"][0]
    assert row["state"] == "withdrawn" and row["text"] is None and row["hidden_reason"] is None


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?target_type=accounts.user&target_id=1", 400),
        ("?target_type=nonsense&target_id=1", 400),
        ("?target_type=cms.announcementpage&target_id=999999", 404),
        ("?parent=abc", 400),
        ("?parent=999999", 404),
    ],
)
def test_bad_queries_are_explained(client, db, query, status):
    assert client.get(f"/api/v1/comments/{query}").status_code == status


def test_comments_of_an_unpublished_page_are_not_served(client, closed_announcement, announcement):
    assert listing(client, closed_announcement).status_code == 404
    assert client.get("/api/v1/comments/?sort=sideways&parent=1").status_code == 400
