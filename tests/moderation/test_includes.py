"""The template includes other apps use: the hidden-content placeholder and the report form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from moderation.models import HideReason
from tests.factories import UserFactory


def render(source: str, **context) -> str:
    request = RequestFactory().get("/en/news/item/")
    request.user = context.setdefault("user", AnonymousUser())
    with translation.override("en"):
        return engines["django"].from_string(source).render(context, request)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (HideReason.PERSONAL_DATA, "Hidden by a moderator: personal data"),
        (HideReason.AUTHOR_BLOCKED, "Hidden by a moderator: the author is blocked"),
        ("", "Hidden by a moderator."),
        ("unknown-code", "Hidden by a moderator: "),
    ],
)
def test_placeholder_names_the_published_reason(db, reason, expected):
    html = render(
        '{% include "moderation/hidden_placeholder.html" with reason=reason %}', reason=reason
    )
    assert expected in html


def test_report_form_for_a_signed_in_reader(content):
    obj = content.make()
    html = render(
        '{% include "moderation/flag_form.html" with target=obj %}', obj=obj, user=UserFactory()
    )
    assert f'action="/en/moderation/report/accounts.organisation/{obj.pk}/"' in html
    assert html.count('type="radio" name="reason"') == 6
    assert f'id="flag-accounts-organisation-{obj.pk}-spam"' in html
    assert "<fieldset>" in html and "<legend>" in html
    assert 'name="next" value="/en/news/item/"' in html


def test_report_form_is_not_offered_to_the_author(content):
    author = UserFactory()
    obj = content.make(author=author)
    html = render('{% include "moderation/flag_form.html" with target=obj %}', obj=obj, user=author)
    assert "<form" not in html


def test_report_form_asks_anonymous_readers_to_sign_in(content):
    obj = content.make()
    html = render('{% include "moderation/flag_form.html" with target=obj %}', obj=obj)
    assert "<form" not in html
    assert "/en/accounts/login/?next=/en/news/item/" in html
