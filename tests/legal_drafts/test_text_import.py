"""Importing Markdown and real-looking DOCX files (generated here with python-docx), and
the error report for what cannot be imported."""

from __future__ import annotations

import io

import docx
import pytest
from django.utils import translation

from legal_drafts.text_import import ImportFailed, import_docx, import_markdown

from .conftest import TEXT_KK, TEXT_RU


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def make_docx(blocks: list[tuple[str, str]]) -> bytes:
    """A Word document: (style, text) pairs; style "h1"/"h2" are headings, "list" a
    numbered-list paragraph (Word keeps the number out of the text), "" body text."""
    document = docx.Document()
    document.add_paragraph("ПРИКАЗ", style="Title")
    for style, text in blocks:
        if style in ("h1", "h2"):
            document.add_heading(text, level=int(style[1]))
        elif style == "list":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RU_DOCX = [
    ("h1", "Глава 1. Общие положения"),
    ("", "Статья 1. Предмет регулирования"),
    ("", "1. Настоящие Правила определяют порядок рассмотрения обращений."),
    ("", "2) Обращение рассматривается в течение пятнадцати рабочих дней."),
    ("h2", "Статья 2. Сроки"),
    ("list", "Срок продлевается один раз."),
    ("list", "О продлении сообщается заявителю."),
]
KK_DOCX = [
    ("h1", "1-тарау. Жалпы ережелер"),
    ("", "1-бап. Реттеу мәні"),
    ("", "1. Осы Қағидалар өтініштерді қарау тәртібін айқындайды."),
    ("", "2) Өтініш он бес жұмыс күні ішінде қаралады."),
    ("h2", "2-бап. Мерзімдер"),
    ("list", "Мерзім бір рет ұзартылады."),
    ("list", "Ұзарту туралы өтініш берушіге хабарланады."),
]


def anchors(text) -> list[str]:
    return [p.anchor for s in text.sections for p in s.paragraphs]


def test_markdown_headings_and_numbers_become_shared_anchors():
    text = import_markdown(kk=TEXT_KK, ru=TEXT_RU)
    assert [s.anchor for s in text.sections] == ["art-1", "art-2"]
    assert anchors(text) == ["art-1-p-1", "art-1-p-2", "art-2-p-1"]
    first = text.sections[0].paragraphs[0]
    assert first.text_ru == "Настоящие Правила определяют порядок рассмотрения обращений граждан."
    assert first.text_kk.startswith("Осы Қағидалар")
    assert text.sections[0].heading_ru == "Статья 1. Общие положения"


def test_markdown_joins_wrapped_lines_and_numbers_unnumbered_paragraphs():
    kk = "# 3-бап\n\nБірінші абзац\nжалғасы.\n\nЕкінші абзац.\n"
    ru = "# Статья 3\n\nПервый абзац\nпродолжение.\n\nВторой абзац.\n"
    text = import_markdown(kk=kk, ru=ru)
    assert anchors(text) == ["art-3-p-1", "art-3-p-2"]
    assert text.sections[0].paragraphs[0].text_ru == "Первый абзац продолжение."


def test_docx_styles_and_numbering_become_structure():
    text = import_docx(kk=make_docx(KK_DOCX), ru=make_docx(RU_DOCX))
    assert [s.anchor for s in text.sections] == ["sec-1", "sec-2", "art-1", "art-2"]
    assert anchors(text) == ["art-1-p-1", "art-1-p-2", "art-2-p-1", "art-2-p-2"]
    assert text.sections[2].paragraphs[1].text_kk == "Өтініш он бес жұмыс күні ішінде қаралады."
    assert text.sections[3].paragraphs[1].text_ru == "О продлении сообщается заявителю."
    assert text.paragraph_count == 4


def test_mismatched_languages_are_reported_with_locations():
    ru = [*RU_DOCX, ("list", "Лишний пункт.")]
    with pytest.raises(ImportFailed) as failed:
        import_docx(kk=make_docx(KK_DOCX), ru=make_docx(ru))
    (problem,) = failed.value.problems
    assert problem.language == "kk/ru"
    assert "art-2" in problem.message and "1, 2, 3" in problem.message
    assert "paragraph" in problem.location


def test_unparseable_documents_are_reported():
    with pytest.raises(ImportFailed) as failed:
        import_docx(kk=b"not a zip", ru=make_docx(RU_DOCX))
    assert [(p.language, p.message) for p in failed.value.problems] == [
        ("kk", "This is not a readable DOCX file.")
    ]
    kk = "# 1-бап\n\n1. Бір.\n1. Тағы бір.\n\n# 2-бап\n"
    ru = "# Статья 1\n\n1. Один.\n2. Два.\n\n# Статья 2\n"
    with pytest.raises(ImportFailed) as failed:
        import_markdown(kk=kk, ru=ru)
    messages = [str(problem) for problem in failed.value.problems]
    assert "kk, line 4: Paragraph 1 appears twice in the same section." in messages
    assert "kk, line 6: This article has no text under it." in messages
    assert "ru, line 6: This article has no text under it." in messages
    with pytest.raises(ImportFailed, match="No paragraphs"):
        import_markdown(kk="", ru="")
