"""A big draft: 400 paragraphs and 20,000 comments (bulk inserts, as tests/dialogue does),
and the draft page and one paragraph page still run the same number of queries as with a
handful of comments."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legal_drafts import services
from legal_drafts.models import Paragraph
from legal_drafts.text_import import import_markdown
from tests.dialogue.builders import bulk_thread
from tests.factories import UserFactory

from .conftest import BEFORE, DURING, make_draft

pytestmark = pytest.mark.django_db

PARAGRAPHS = 400
PER_ARTICLE = 10


def big_text() -> dict[str, str]:
    kk, ru = [], []
    for article in range(1, PARAGRAPHS // PER_ARTICLE + 1):
        kk.append(f"# {article}-бап. Ереже {article}\n")
        ru.append(f"# Статья {article}. Положение {article}\n")
        for point in range(1, PER_ARTICLE + 1):
            kk.append(f"{point}. {article}-баптың {point}-тармағының мәтіні.\n")
            ru.append(f"{point}. Текст пункта {point} статьи {article}.\n")
    return {"kk": "\n".join(kk), "ru": "\n".join(ru)}


@pytest.fixture
def big_draft(agency_with_staff):
    draft = make_draft(agency_with_staff, publish=False)
    with time_machine.travel(BEFORE, tick=False):
        version = services.version_create(
            draft=draft, actor=agency_with_staff.drafter, text=import_markdown(**big_text())
        )
        services.version_publish(version=version, actor=agency_with_staff.drafter)
    assert Paragraph.objects.filter(version=version).count() == PARAGRAPHS
    return draft


def _count(client, path: str) -> int:
    with time_machine.travel(DURING, tick=False):
        assert client.get(path).status_code == 200  # warm the caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_draft_and_paragraph_pages_do_not_grow_with_20000_comments(
    client, big_draft, django_assert_max_num_queries
):
    authors = [UserFactory() for _ in range(5)]
    client.force_login(authors[0])
    paragraphs = list(Paragraph.objects.filter(version__draft=big_draft).order_by("order"))
    first = paragraphs[0]
    detail = reverse("legal_drafts:detail", kwargs={"pk": big_draft.pk})
    paragraph_page = reverse(
        "legal_drafts:paragraph",
        kwargs={"pk": big_draft.pk, "number": 1, "anchor": first.anchor},
    )

    bulk_thread(big_draft, authors=authors, top_level=5, replies=0)
    bulk_thread(first, authors=authors, top_level=5, replies=0)
    small_detail, small_paragraph = _count(client, detail), _count(client, paragraph_page)

    # 20,000 in all: 5 on the draft, 50 on each of the 399 other paragraphs, 45 on the first.
    for paragraph in paragraphs[1:]:
        bulk_thread(paragraph, authors=authors, top_level=50, replies=0)
    bulk_thread(first, authors=authors, top_level=40, replies=0)
    from dialogue.models import Comment, CommentTarget

    # The builder sets a target's counters to what it inserted: the first paragraph has 45.
    CommentTarget.objects.filter(object_pk=str(first.pk), content_type__model="paragraph").update(
        visible_count=45, total_count=45, top_level_count=45
    )
    assert Comment.objects.count() == 20_000

    assert _count(client, detail) == small_detail
    assert _count(client, paragraph_page) == small_paragraph
    with time_machine.travel(DURING, tick=False):
        with django_assert_max_num_queries(32):  # measured: 29
            page = client.get(detail)
        with django_assert_max_num_queries(30):  # measured: 28
            client.get(paragraph_page)
    html = page.content.decode()
    assert html.count("50 comments") + html.count("50 пікір") == PARAGRAPHS - 1
    assert 'id="art-40-p-10"' in html
