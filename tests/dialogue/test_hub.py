"""Open Dialogue's hub: one page with a section of each part, linked from the main menu."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from dialogue import hub

pytestmark = pytest.mark.django_db


def test_every_part_registers_a_section():
    assert {"threads", "conferences", "polls"} <= {
        section.key for section in hub._hub._sections.values()
    }


def test_hub_shows_each_section_and_the_menu_marks_it(client, django_assert_max_num_queries):
    with translation.override("en"):
        url = reverse("dialogue:hub")
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("threads", "conferences", "polls"):
        with translation.override("en"):
            assert f'href="{reverse(f"{part}:index")}"' in html
    assert f'<a href="{url}" aria-current="page">Open dialogue</a>' in html
