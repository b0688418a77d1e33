"""A thread of 10,000 comments: the page, the "load replies" request and the API list run
the same bounded number of queries as a thread of a few comments."""

from __future__ import annotations

import pytest

from dialogue.models import Comment
from tests.dialogue.builders import bulk_thread
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def build(announcement, size: int):
    authors = [UserFactory() for _ in range(3)]
    top = max(size // 2, 3)
    return bulk_thread(announcement, authors=authors, top_level=top, replies=size - top - 1, deep=1)


def test_builder_makes_a_consistent_tree(announcement):
    roots = build(announcement, 100)
    first = roots[0]
    assert Comment.objects.count() == 100
    assert first.reply_total == Comment.objects.filter(reply_to=first).count() == 49
    reply = Comment.objects.filter(reply_to=first).order_by("posted_at").first()
    assert (reply.level, reply.thread_id, reply.parent_id) == (1, first.pk, first.pk)
    deep = Comment.objects.get(reply_to=reply)
    assert (deep.level, deep.thread_id, deep.parent_id) == (2, first.pk, reply.pk)


# Measured: the announcement page 27 queries (the comments block is 6 of them: counters,
# one page of comments, the viewer's votes, the viewer's email/block/role checks), the
# replies fragment 12, the API list 6 -- the same for 6, 100 and 10,000 comments. The small
# thread shows 3 comments on its page and the others 20, so a query per comment would
# break these bounds; the margin leaves room for the page frame (header, menus) to change.
PAGE_BOUND = 32
REPLIES_BOUND = 15
API_BOUND = 8


@pytest.mark.parametrize("size", [6, 100, 10_000])
def test_page_and_replies_queries_do_not_grow(
    size, announcement, client, verified_user, django_assert_max_num_queries
):
    roots = build(announcement, size)
    client.force_login(verified_user)
    client.get(announcement.url)  # warm the per-process caches (content types, site root)

    with django_assert_max_num_queries(PAGE_BOUND):
        response = client.get(announcement.url + "?sort=supported&comments_page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(REPLIES_BOUND):
        response = client.get(f"/kk/comments/{roots[0].pk}/replies/?fragment=1&page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(API_BOUND):
        response = client.get(
            f"/api/v1/comments/?target_type=cms.announcementpage&target_id={announcement.pk}"
            "&sort=newest"
        )
    assert response.status_code == 200
