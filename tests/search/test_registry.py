"""Incremental updates: which saves schedule which re-indexing, and when."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from django.utils import translation

from accounts.models import Agency
from search import registry
from tests.factories import AgencyFactory, UserFactory
from tests.search.conftest import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(settings):
    settings.ELASTICSEARCH_URL = ""
    with mock.patch("search.tasks.enqueue_reindex") as enqueue:
        yield enqueue


def calls(enqueue) -> list[tuple[str, list[str]]]:
    return [call.args for call in enqueue.call_args_list]


def test_one_task_per_kind_per_transaction_after_commit(enqueued):
    with committed():
        with transaction.atomic():
            first = AgencyFactory(slug="a")
            second = AgencyFactory(slug="b")
            first.name_ru = "Изменено"
            first.save()
        assert enqueued.call_count == 0  # not before the commit

    assert calls(enqueued) == [("agency", sorted([str(first.pk), str(second.pk)]))]


def test_a_rolled_back_transaction_schedules_nothing(enqueued):
    with committed():
        try:
            with transaction.atomic():
                AgencyFactory(slug="a")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert enqueued.call_count == 0


def test_a_watcher_limited_to_fields_ignores_other_saves(enqueued):
    user = UserFactory()
    with committed():
        user.last_login = user.date_joined
        user.save(update_fields=["last_login"])
    assert enqueued.call_count == 0


def test_a_failing_watcher_never_breaks_the_write(enqueued, caplog):
    def broken(instance):
        raise ValueError("boom")

    registry.register(
        "t_broken",
        label="Broken",
        model=Agency,
        queryset=lambda: Agency.objects.none(),
        documents=lambda obj: [],
        watch={Agency: broken},
    )
    try:
        with committed():
            agency = AgencyFactory(slug="a")
    finally:
        registry.unregister("t_broken")
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert "watcher of t_broken" in caplog.text


def test_documents_are_one_per_language():
    kind = registry.Kind(
        key="t_twice",
        label="Twice",
        model=Agency,
        queryset=lambda: Agency.objects.none(),
        documents=lambda obj: [registry.SearchDoc(title="a"), registry.SearchDoc(title="b")],
    )
    with pytest.raises(ValueError, match="two documents"):
        kind.docs_of(Agency(pk=1))


def test_every_app_registers_its_kinds_with_labels():
    keys = {kind.key for kind in registry.kinds()}
    assert {
        "agency",
        "announcement",
        "page",
        "blog_post",
        "blog_question",
        "legal_draft",
        "legal_draft_paragraph",
        "legal_draft_response",
        "petition",
        "petition_response",
        "comment",
        "agency_response",
    } <= keys
    assert all(str(label) for label in registry.labels().values())
    with translation.override("en"):
        assert str(registry.status_labels()["awaiting_answer"]) == "awaiting an answer"
