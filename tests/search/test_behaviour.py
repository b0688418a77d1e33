"""How search behaves, the same on every backend (`backend` runs each test on the
database and on Elasticsearch): relevance, filters and facets, languages, snippets,
pagination. Documents are written straight into the index (`put`)."""

from __future__ import annotations

import datetime

import pytest

from search import services
from search.registry import SearchDoc
from tests.search.conftest import put

pytestmark = pytest.mark.django_db


_expected: list[str] = []


@pytest.fixture(autouse=True)
def _expect(backend):
    _expected[:] = [backend]
    yield
    _expected.clear()


def search(**kwargs):
    """`services.search`, checking that the backend under test answered."""
    results = services.search(**kwargs)
    assert (results.backend, results.degraded) == (_expected[0], False)
    return results


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


# --- relevance ------------------------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_one_in_the_text(backend, filler):
    put(
        SearchDoc(title="Новости дня", body="Начато строительство поликлиники.", language="ru"),
        SearchDoc(title="Поликлиника в Косшы", body="Открытие нового корпуса.", language="ru"),
    )

    results = search(q="поликлиника")

    assert titles(results) == ["Поликлиника в Косшы", "Новости дня"]


def test_the_exact_phrase_ranks_above_the_same_words_scattered(backend, filler):
    put(
        SearchDoc(
            title="Сообщение",
            body="Дорожный ремонт идёт по графику, а новая развязка откроется осенью.",
            language="ru",
        ),
        SearchDoc(
            title="Сообщение",
            body="Новая дорожная развязка откроется осенью, ремонт идёт по графику.",
            language="ru",
        ),
    )

    results = search(q="дорожная развязка")

    assert [hit.snippet.startswith("Новая") for hit in results.hits] == [True, False]


def test_every_word_must_match_unless_any_word_is_asked(backend, filler):
    put(
        SearchDoc(title="Ремонт школы", body="Школа №5 закрыта на ремонт.", language="ru"),
        SearchDoc(title="Ремонт дороги", body="Трасса будет закрыта.", language="ru"),
    )

    assert titles(search(q="ремонт школы")) == ["Ремонт школы"]
    assert set(titles(search(q="ремонт школы", any_word=True))) == {
        "Ремонт школы",
        "Ремонт дороги",
    }


def test_a_query_of_stop_words_alone_finds_nothing(backend, filler):
    assert search(q="и в на").total == 0


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["әкімдік", "ӘКІМДІК", "Әкімдік", "акимдик", "akimdik", "Akımdık"],
)
def test_kazakh_letters_match_as_typed_and_in_their_fallbacks(backend, filler, typed):
    put(SearchDoc(title="Әкімдік хабарламасы", body="Жаңа мектеп салынды.", language="kk"))

    assert titles(search(q=typed)) == ["Әкімдік хабарламасы"]


def test_kazakh_words_match_across_their_endings(backend, filler):
    put(SearchDoc(title="Денсаулық сақтау министрлігі", body="", language="kk"))

    assert titles(search(q="министрлік")) == ["Денсаулық сақтау министрлігі"]


def test_russian_is_stemmed(backend, filler):
    put(SearchDoc(title="Строительство больниц", body="В больницах области", language="ru"))

    for typed in ("больница", "больницы", "БОЛЬНИЦАМ"):
        assert titles(search(q=typed)) == ["Строительство больниц"], typed


def test_case_and_accents_do_not_matter(backend, filler):
    put(
        SearchDoc(title="Café on Abai Street", body="Opened in May.", language="en"),
        SearchDoc(title="Ёлка на площади", body="Установлена к празднику.", language="ru"),
    )

    assert titles(search(q="CAFE")) == ["Café on Abai Street"]
    assert titles(search(q="елка")) == ["Ёлка на площади"]


def test_english_is_stemmed(backend, filler):
    put(SearchDoc(title="Museums reopening", body="The city museum opens again.", language="en"))

    assert titles(search(q="museum")) == ["Museums reopening"]
    assert titles(search(q="reopened")) == ["Museums reopening"]


def test_the_languages_of_one_object_are_one_result_in_the_preferred_language(backend, filler):
    key = "test.t_news:agency-1"
    put(
        SearchDoc(title="Әділет министрлігі KZ-2026", language="kk", key=key, object_pk="a1"),
        SearchDoc(title="Министерство юстиции KZ-2026", language="ru", key=key, object_pk="a1"),
        SearchDoc(title="Ministry of Justice KZ-2026", language="en", key=key, object_pk="a1"),
    )

    assert titles(search(q="KZ-2026", language="ru")) == ["Министерство юстиции KZ-2026"]
    assert titles(search(q="KZ-2026", language="en")) == ["Ministry of Justice KZ-2026"]
    # Matching in one language only: that one, whatever the preference.
    only_kazakh = search(q="әділет", language="en")
    assert titles(only_kazakh) == ["Әділет министрлігі KZ-2026"]
    assert only_kazakh.total == 1


# --- filters and facets ---------------------------------------------------------------------


@pytest.fixture
def corpus(filler):
    docs = [
        ("t_question", 1, "answered", datetime.date(2026, 2, 1)),
        ("t_question", 1, "awaiting", datetime.date(2026, 2, 10)),
        ("t_question", 2, "answered", datetime.date(2026, 3, 1)),
        ("t_draft", 1, "open", datetime.date(2026, 3, 5)),
        ("t_draft", 2, "closed", datetime.date(2026, 1, 15)),
        ("t_news", 2, "", datetime.date(2026, 3, 20)),
    ]
    return put(
        *(
            SearchDoc(
                kind=kind,
                title=f"Водоснабжение {i}",
                body="Вода в сёлах района.",
                language="ru",
                agency_id=agency,
                status=status,
                date=date,
            )
            for i, (kind, agency, status, date) in enumerate(docs)
        )
    )


def test_facets_count_each_value_under_the_other_filters(backend, corpus):
    everything = search(q="водоснабжение")
    assert everything.total == 6
    assert everything.facets["kind"] == {"t_question": 3, "t_draft": 2, "t_news": 1}
    assert everything.facets["agency"] == {1: 3, 2: 3}
    assert everything.facets["status"] == {"answered": 2, "awaiting": 1, "open": 1, "closed": 1}

    questions = search(q="водоснабжение", kinds=["t_question"])
    assert questions.total == 3
    assert {hit.kind for hit in questions.hits} == {"t_question"}
    # The kind facet still shows the other kinds; the others count questions only.
    assert questions.facets["kind"] == {"t_question": 3, "t_draft": 2, "t_news": 1}
    assert questions.facets["agency"] == {1: 2, 2: 1}
    assert questions.facets["status"] == {"answered": 2, "awaiting": 1}


def test_filters_combine(backend, corpus):
    results = search(
        q="водоснабжение", kinds=["t_question", "t_draft"], agency=1, status="answered"
    )
    assert titles(results) == ["Водоснабжение 0"]
    assert results.facets["status"] == {"answered": 1, "awaiting": 1, "open": 1}


def test_dates_filter_inclusively(backend, corpus):
    results = search(
        q="водоснабжение", date_from=datetime.date(2026, 2, 10), date_to=datetime.date(2026, 3, 5)
    )
    assert sorted(titles(results)) == ["Водоснабжение 1", "Водоснабжение 2", "Водоснабжение 3"]
    assert results.facets["kind"] == {"t_question": 2, "t_draft": 1}


def test_unknown_kinds_are_ignored(backend, corpus):
    assert search(q="водоснабжение", kinds=["no_such_kind"]).total == 6


def test_no_words_lists_everything_filtered_newest_first(backend, corpus):
    results = search(kinds=["t_question"])
    assert titles(results) == ["Водоснабжение 2", "Водоснабжение 1", "Водоснабжение 0"]


# --- pages and snippets ---------------------------------------------------------------------


def test_results_come_in_pages(backend, filler):
    put(
        *(
            SearchDoc(
                title=f"Субсидия {i:02d}",
                body="Фермерам.",
                language="ru",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            )
            for i in range(25)
        )
    )

    first = search(q="субсидия", per_page=10)
    third = search(q="субсидия", per_page=10, page=3)

    assert first.total == third.total == 25
    assert (first.num_pages, first.has_next, first.has_previous) == (3, True, False)
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert not third.has_next
    seen = {
        hit.object_pk
        for page in (1, 2, 3)
        for hit in search(q="субсидия", per_page=10, page=page).hits
    }
    assert len(seen) == 25


def test_snippets_mark_the_words_and_escape_everything_else(backend, filler):
    put(
        SearchDoc(
            title="Тарифы <b>ЖКХ</b>",
            body='Жители пишут: <script>alert("x")</script> тарифы выросли & снова.',
            language="ru",
        )
    )

    hit = search(q="тарифы").hits[0]

    assert "<script>" not in hit.snippet and "<b>" not in hit.title_html
    assert "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert "<mark>тарифы</mark>" in hit.snippet.lower()
    assert hit.title_html.lower().startswith("<mark>тарифы</mark> &lt;b&gt;")


def test_a_long_text_is_cut_around_the_first_match(backend, filler):
    words = ["слово"] * 200 + ["пенсия"] + ["текст"] * 200
    put(SearchDoc(title="Длинный документ", body=" ".join(words), language="ru"))

    snippet = search(q="пенсия").hits[0].snippet

    assert "<mark>пенсия</mark>" in snippet
    assert len(snippet) < 800
