"""Folding, stemming and snippets (no database)."""

from __future__ import annotations

import pytest

from search.text import excerpt, fold, fold_words, guess_language, highlight, query_terms


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Әкімдік", "akimdik"),
        ("акимдик", "akimdik"),
        ("Akımdık", "akimdik"),
        ("Қазақстан", "kazakstan"),
        ("Qazaqstan", "kazakstan"),
        ("Казахстан", "kazahstan"),
        ("Kazakhstan", "kazahstan"),
        ("Жаңаөзен", "janaozen"),
        ("Zhanaozen", "janaozen"),
        ("Ёлка", "elka"),
        ("Café", "cafe"),
        ("ШЫМКЕНТ", "shymkent"),
        ("Şymkent", "shymkent"),
    ],
)
def test_folding_brings_spellings_together(typed, folded):
    assert fold(typed) == folded


def test_fold_words_keeps_words_only():
    assert fold_words("Закон №5-ФЗ, «О недрах»!") == "zakon no5 fz o nedrah"


def test_query_words_are_stemmed_prefixes_without_stop_words():
    terms = query_terms("Больницы и школы в Астане")
    assert [term.prefix for term in terms] == ["bolnits", "shkol", "asta"]
    assert all(term.is_prefix for term in terms)
    assert [term.prefix for term in query_terms("министрлігі министрлік")] == ["ministrli"]
    assert [term.is_prefix for term in query_terms("ai 5")] == [False, False]


def test_highlight_escapes_the_text_and_marks_the_words():
    html = highlight('<img src=x onerror="1"> Больницы & школы', query_terms("больница"))
    assert html == "&lt;img src=x onerror=&quot;1&quot;&gt; <mark>Больницы</mark> &amp; школы"


def test_private_use_markers_in_the_text_cannot_inject_tags():
    assert "<mark>" not in excerpt("\ue000 <b> \ue001")


def test_a_window_is_cut_around_the_first_match():
    words = " ".join(["a"] * 100 + ["налог"] + ["b"] * 100)
    html = highlight(words, query_terms("налог"), max_words=20)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>налог</mark>" in html
    assert len(html.split()) <= 24


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Мектеп қашан ашылады?", "kk"),
        ("Когда откроют школу?", "ru"),
        ("When will the school open?", "en"),
        ("2026", "ru"),
    ],
)
def test_the_language_of_a_citizens_text_is_guessed_from_its_letters(text, language):
    assert guess_language(text) == language
