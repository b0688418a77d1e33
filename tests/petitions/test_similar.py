"""Similar petitions on the form that starts one: found by the platform search, listed
petitions only, without JavaScript (the "Check for similar petitions" step keeps what was
typed) and as JSON for similar.js, in a bounded number of queries.

The conftest's clock stands on Tuesday March 10, 2026."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.regions import Region
from petitions import services
from petitions.models import Petition, PetitionState
from petitions.views import find_similar
from tests.search.conftest import committed

from .conftest import make_petition

pytestmark = pytest.mark.django_db

CROSSING = "Построить пешеходный переход у школы №12"


def url(name: str, *args, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"petitions:{name}", args=args)


def listed(author, agency, moderator, title: str, **fields) -> Petition:
    """A published petition made public (past its first supporters), under `title`."""
    petition = make_petition(author, agency, stage="published", moderator=moderator)
    petition.title = title
    petition.state = PetitionState.PUBLIC
    petition.public_at = petition.published_at
    for name, value in fields.items():
        setattr(petition, name, value)
    petition.save(update_fields=["title", "state", "public_at", *fields])
    return petition


@pytest.fixture
def crossing(author, addressee, moderator) -> Petition:
    with committed():
        return listed(author, addressee.agency, moderator, CROSSING, signature_count=1234)


def titles(petitions) -> list[str]:
    return [petition.title for petition in petitions]


def test_another_word_form_finds_the_listed_petition(crossing):
    assert titles(find_similar(title="Пешеходные переходы у школ")) == [CROSSING]
    assert titles(find_similar(title="переходом")) == [CROSSING]
    assert find_similar(title="Налоговый вычет") == []
    for nothing in ("", "   ", "в на и", "?!"):
        assert find_similar(title=nothing) == []


def test_unlisted_and_hidden_petitions_are_never_suggested(crossing, author, addressee, moderator):
    agency = addressee.agency
    with committed():
        draft = make_petition(author, agency)
        services.petition_update(
            petition=draft,
            actor=author,
            addressee=agency,
            title="Пешеходный переход у рынка",
            request=draft.request,
            background="",
            region=Region.ASTANA,
        )
        # Published, still gathering its first supporters: reachable by its link only.
        gathering = make_petition(author, agency, stage="published", moderator=moderator)
        gathering.title = "Пешеходный переход у парка"
        gathering.save(update_fields=["title"])
    assert titles(find_similar(title="пешеходный переход")) == [CROSSING]

    with committed():
        services.petition_hide(petition=crossing, reason="abuse", actor=moderator)
    assert find_similar(title="пешеходный переход") == []
    with committed():
        services.petition_restore(petition=Petition.objects.get(pk=crossing.pk), actor=moderator)
    assert titles(find_similar(title="пешеходный переход")) == [CROSSING]

    # Hidden while the index still has it (re-indexing not run yet): still never shown.
    services.petition_hide(
        petition=Petition.objects.get(pk=crossing.pk), reason="abuse", actor=moderator
    )
    assert find_similar(title="пешеходный переход") == []


# --- the form, without JavaScript -------------------------------------------------------------


def test_the_check_step_keeps_what_was_typed_and_lists_similar_petitions(
    client, crossing, author, addressee
):
    client.force_login(author)
    form = client.get(url("create")).content.decode()
    assert "Check for similar petitions" in form and 'id="similar-petitions"' in form
    assert 'aria-live="polite"' in form and "petitions/similar.js" in form
    assert f'data-similar-url="{url("similar")}"' in form

    typed = {
        "addressee": addressee.agency.pk,
        "title": "Пешеходные переходы у школ",
        "request": "",  # not written yet: the check does not ask for it
        "background": "Дети переходят шесть полос.",
        "region": Region.ASTANA,
    }
    response = client.post(url("create"), {**typed, "check": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{url("detail", crossing.pk)}"' in page and CROSSING in page
    assert "open for signatures" in page and "1234 signatures" in page
    assert 'target="_blank"' not in page
    # Nothing typed is lost, and no error is raised for what is still empty.
    assert 'value="Пешеходные переходы у школ"' in page and "Дети переходят шесть полос." in page
    assert f'<option value="{addressee.agency.pk}" selected>' in page
    assert f'<option value="{Region.ASTANA}" selected>' in page
    assert 'aria-invalid="true"' not in page and "Please correct the fields" not in page
    assert Petition.objects.filter(author=author).count() == 1  # only the fixture's

    nothing = client.post(url("create"), {**typed, "title": "Налоговый вычет", "check": "1"})
    assert "No petition on the list looks like yours" in nothing.content.decode()

    # Saving still works from the same form.
    saved = client.post(url("create"), {**typed, "request": "Поставьте светофор.", "save": "1"})
    assert saved.status_code == 302
    assert Petition.objects.filter(author=author, state=PetitionState.DRAFT).count() == 1


def test_checking_without_a_title_says_what_is_missing(client, crossing, author, addressee):
    client.force_login(author)
    response = client.post(
        url("create"),
        {"addressee": addressee.agency.pk, "title": "  ", "request": "Светофор.", "check": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Type the title of your petition first" in page
    assert 'id="petition-title_error"' in page and "Светофор." in page
    assert CROSSING not in page
    assert not Petition.objects.filter(author=author, state=PetitionState.DRAFT).exists()


def test_files_must_be_chosen_again_after_the_check(client, author, addressee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(author)
    response = client.post(
        url("create"),
        {
            "title": "Пешеходный переход",
            "attachments": [SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n%%EOF\n")],
            "check": "1",
        },
    )
    assert "Files are not kept by the check" in response.content.decode()


def test_the_edit_form_has_no_check(client, author, addressee):
    client.force_login(author)
    draft = make_petition(author, addressee.agency)
    page = client.get(url("edit", draft.pk)).content.decode()
    assert "Check for similar petitions" not in page and "similar.js" not in page


# --- the JSON of similar.js ------------------------------------------------------------------


def test_the_json_lists_listed_petitions(client, crossing):
    response = client.get(url("similar"), {"title": "пешеходные переходы"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "title": CROSSING,
                "url": url("detail", crossing.pk),
                "state": "public",
                "state_label": "open for signatures",
                "signatures": 1234,
                "signatures_label": "1234 signatures",
            }
        ]
    }
    text = response.content.decode()
    assert crossing.author.email not in text and "Asel" not in text
    ru = client.get(url("similar", lang="ru"), {"title": "пешеходные переходы"}).json()
    assert ru["results"][0]["url"] == url("detail", crossing.pk, lang="ru")
    assert client.post(url("similar")).status_code == 405


def test_the_json_without_a_title_lists_nothing(client, crossing):
    assert client.get(url("similar")).json() == {"results": []}
    assert client.get(url("similar"), {"title": ""}).json() == {"results": []}
    assert client.get(url("similar"), {"title": "и в на"}).json() == {"results": []}
    long = client.get(url("similar"), {"title": "переход " * 5000})
    assert long.status_code == 200 and len(long.json()["results"]) == 1


@pytest.mark.parametrize("count", [2, 8])
def test_queries_do_not_grow_with_the_petitions(
    client, author, addressee, moderator, count, django_assert_max_num_queries
):
    with committed():
        for number in range(count):
            listed(author, addressee.agency, moderator, f"Пешеходный переход №{number}")
    client.get(url("similar"), {"title": "прогрев"})  # once: is SQLite's FTS5 there?

    # The search's two queries, then the petitions.
    with django_assert_max_num_queries(3):
        response = client.get(url("similar"), {"title": "пешеходные переходы"})
    assert len(response.json()["results"]) == min(count, 5)
