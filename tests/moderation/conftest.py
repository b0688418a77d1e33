"""A stand-in moderatable model for the service tests: `accounts.Organisation` registered with
adapters that record hide/restore in memory, so moderation is tested without depending on
any feature app. Integration with real comments lives in test_dialogue_integration.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from accounts.models import Organisation
from moderation import registry
from tests.factories import OrganisationFactory, UserFactory


@dataclass
class FakeContent:
    authors: dict[int, object] = field(default_factory=dict)
    agencies: dict[int, object] = field(default_factory=dict)
    hidden: dict[int, str] = field(default_factory=dict)
    calls: list[tuple] = field(default_factory=list)

    def make(self, *, author=None, agency=None, text: str = "") -> Organisation:
        obj = OrganisationFactory(name=text or "Some text a citizen wrote")
        self.authors[obj.pk] = author or UserFactory()
        self.agencies[obj.pk] = agency
        return obj

    def hide(self, obj, *, reason, actor) -> None:
        self.calls.append(("hide", obj.pk, reason, actor.pk))
        self.hidden[obj.pk] = reason

    def restore(self, obj, *, actor) -> None:
        self.calls.append(("restore", obj.pk, actor.pk))
        self.hidden.pop(obj.pk, None)


@pytest.fixture
def content(db):
    fake = FakeContent()
    registry.register(
        Organisation,
        author_of=lambda obj: fake.authors.get(obj.pk),
        agency_of=lambda obj: fake.agencies.get(obj.pk),
        excerpt_of=lambda obj: obj.name,
        url_of=lambda obj: f"/org/{obj.pk}/",
        is_hidden=lambda obj: obj.pk in fake.hidden,
        hide=fake.hide,
        restore=fake.restore,
        content_of_user=lambda user: Organisation.objects.filter(
            pk__in=[pk for pk, author in fake.authors.items() if author.pk == user.pk]
        ).order_by("pk"),
    )
    yield fake
    registry.unregister(Organisation)
