"""Turn a draft act's text (Markdown or DOCX) into sections and paragraphs with stable
anchors shared by the Kazakh and Russian texts.

Structure, in either format:

- a heading (a Markdown `#`-heading, a DOCX paragraph styled "Heading N", or a line
  "Статья 5. …" / "5-бап. …" in any style) starts a section. An article heading gives
  the section anchor `art-5`; any other heading `sec-<n>` (its position);
- inside a section, a numbered line ("1. …", "1) …") starts a paragraph
  `art-5-p-1`; an unnumbered text paragraph gets the next free number; text before any
  heading belongs to the preamble (`pre-p-<n>`).

The two languages are imported separately and aligned position by position: the same
sections in the same order with the same numbers, and the same paragraph anchors in each.
Anything that does not line up is reported as an `ImportProblem` with the line (Markdown)
or paragraph (DOCX) number in each language, and nothing is imported. Anchors depend only
on the numbering of the act, so an unchanged provision keeps its anchor in a new version.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ARTICLE_RE = re.compile(
    r"^\s*(?:Статья\s+(?P<ru>\d+(?:-\d+)?)|(?P<kk>\d+(?:-\d+)?)\s*-\s*бап)\s*\.?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
NUMBERED_RE = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)*)\s*[.)]\s+(?P<text>\S.*)$")
MD_HEADING_RE = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")


@dataclass(frozen=True)
class ImportProblem:
    """One reason the text cannot be imported. `location` is "line 12" or "paragraph 4"."""

    language: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.language}, {self.location}: {self.message}"


class ImportFailed(Exception):
    """The document cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ParsedParagraph:
    anchor: str
    number: str
    text: str
    location: str


@dataclass
class ParsedSection:
    anchor: str
    number: str
    heading: str
    location: str
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


@dataclass
class ImportedParagraph:
    anchor: str
    number: str
    text_kk: str
    text_ru: str


@dataclass
class ImportedSection:
    anchor: str
    number: str
    heading_kk: str
    heading_ru: str
    paragraphs: list[ImportedParagraph] = field(default_factory=list)


@dataclass
class ImportedText:
    """Both languages aligned: what `services.version_create` stores."""

    sections: list[ImportedSection]

    @property
    def paragraph_count(self) -> int:
        return sum(len(section.paragraphs) for section in self.sections)


@dataclass
class _Block:
    """One line (Markdown) or paragraph (DOCX) with what it looks like."""

    text: str
    location: str
    is_heading: bool = False


class _Builder:
    def __init__(self, language: str) -> None:
        self.language = language
        self.sections: list[ParsedSection] = []
        self.problems: list[ImportProblem] = []
        self._heading_count = 0

    def problem(self, location: str, message: str) -> None:
        self.problems.append(ImportProblem(self.language, location, message))

    def _current(self, location: str) -> ParsedSection:
        if not self.sections:
            self.sections.append(ParsedSection("pre", "", "", location))
        return self.sections[-1]

    def heading(self, text: str, location: str) -> None:
        self._heading_count += 1
        match = ARTICLE_RE.match(text)
        if match:
            number = match.group("ru") or match.group("kk")
            anchor = f"art-{number}"
            if any(section.anchor == anchor for section in self.sections):
                self.problem(location, _("Article %(number)s appears twice.") % {"number": number})
                anchor = f"{anchor}-dup{self._heading_count}"
            self.sections.append(ParsedSection(anchor, number, text.strip(), location))
        else:
            self.sections.append(
                ParsedSection(f"sec-{self._heading_count}", "", text.strip(), location)
            )

    def text(self, text: str, location: str) -> None:
        section = self._current(location)
        match = NUMBERED_RE.match(text)
        number = match.group("number") if match else str(len(section.paragraphs) + 1)
        text = match.group("text") if match else text  # the number is kept apart
        anchor = f"{section.anchor}-p-{number.replace('.', '-')}"
        if any(paragraph.anchor == anchor for paragraph in section.paragraphs):
            self.problem(
                location,
                _("Paragraph %(number)s appears twice in the same section.") % {"number": number},
            )
            return
        section.paragraphs.append(ParsedParagraph(anchor, number, text.strip(), location))

    def finish(self) -> list[ParsedSection]:
        if not any(section.paragraphs for section in self.sections):
            self.problem(_("the whole document"), _("No paragraphs of text were found."))
        for section in self.sections:
            # A chapter or a title may only group articles; an article must have text.
            if not section.paragraphs and section.anchor.startswith("art-"):
                self.problem(section.location, _("This article has no text under it."))
        return self.sections


def _parse(blocks: list[_Block], language: str) -> tuple[list[ParsedSection], list[ImportProblem]]:
    builder = _Builder(language)
    for block in blocks:
        if block.is_heading or ARTICLE_RE.match(block.text):
            builder.heading(block.text, block.location)
        else:
            builder.text(block.text, block.location)
    sections = builder.finish()
    return sections, builder.problems


def markdown_blocks(source: str) -> list[_Block]:
    """Each non-empty line is a block; a line continuing an unnumbered paragraph (no blank
    line between) is joined to it, as Markdown would."""
    blocks: list[_Block] = []
    previous_blank = True
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        location = _("line %(number)d") % {"number": number}
        if not line:
            previous_blank = True
            continue
        heading = MD_HEADING_RE.match(line)
        if heading:
            blocks.append(_Block(heading.group("text").strip(), location, is_heading=True))
        elif (
            not previous_blank
            and blocks
            and not blocks[-1].is_heading
            and not NUMBERED_RE.match(line)
            and not ARTICLE_RE.match(line)
        ):
            blocks[-1].text = f"{blocks[-1].text} {line}"
        else:
            blocks.append(_Block(line, location))
        previous_blank = False
    return blocks


def docx_blocks(data: bytes) -> list[_Block]:
    """Each non-empty paragraph of the document body; styles named "Heading N" (or
    "Title") are headings. Word's automatic list numbering is not in the text, so a
    paragraph in a numbered-list style gets its position in the list as its number."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailed(
            [ImportProblem("", _("the whole document"), _("This is not a readable DOCX file."))]
        ) from error
    blocks: list[_Block] = []
    list_counter = 0
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        location = _("paragraph %(number)d") % {"number": number}
        is_heading = style.startswith("Heading") or style == "Title"
        if is_heading or ARTICLE_RE.match(text):
            list_counter = 0
        elif style.startswith("List Number") and not NUMBERED_RE.match(text):
            list_counter += 1
            text = f"{list_counter}. {text}"
        blocks.append(_Block(text, location, is_heading=is_heading))
    return blocks


def align(
    kk: tuple[list[ParsedSection], list[ImportProblem]],
    ru: tuple[list[ParsedSection], list[ImportProblem]],
) -> ImportedText:
    """Pair the two languages section by section and paragraph by paragraph; raise
    `ImportFailed` listing every mismatch (and every problem of either text)."""
    (kk_sections, problems_kk), (ru_sections, problems_ru) = kk, ru
    problems = [*problems_kk, *problems_ru]
    if len(kk_sections) != len(ru_sections):
        problems.append(
            ImportProblem(
                "kk/ru",
                _("the whole document"),
                _("The Kazakh text has %(kk)d sections, the Russian %(ru)d.")
                % {"kk": len(kk_sections), "ru": len(ru_sections)},
            )
        )
    sections: list[ImportedSection] = []
    for kk_section, ru_section in zip(kk_sections, ru_sections, strict=False):
        if kk_section.anchor != ru_section.anchor:
            problems.append(
                ImportProblem(
                    "kk/ru",
                    f"{kk_section.location} / {ru_section.location}",
                    _("The sections do not match: %(kk)s in Kazakh, %(ru)s in Russian.")
                    % {
                        "kk": kk_section.heading or kk_section.anchor,
                        "ru": ru_section.heading or ru_section.anchor,
                    },
                )
            )
            continue
        kk_anchors = [paragraph.anchor for paragraph in kk_section.paragraphs]
        ru_anchors = [paragraph.anchor for paragraph in ru_section.paragraphs]
        if kk_anchors != ru_anchors:
            problems.append(
                ImportProblem(
                    "kk/ru",
                    f"{kk_section.location} / {ru_section.location}",
                    _("The paragraphs of %(section)s differ: %(kk)s in Kazakh, %(ru)s in Russian.")
                    % {
                        "section": kk_section.anchor,
                        "kk": ", ".join(p.number for p in kk_section.paragraphs) or "-",
                        "ru": ", ".join(p.number for p in ru_section.paragraphs) or "-",
                    },
                )
            )
            continue
        sections.append(
            ImportedSection(
                anchor=kk_section.anchor,
                number=kk_section.number,
                heading_kk=kk_section.heading,
                heading_ru=ru_section.heading,
                paragraphs=[
                    ImportedParagraph(p_kk.anchor, p_kk.number, p_kk.text, p_ru.text)
                    for p_kk, p_ru in zip(kk_section.paragraphs, ru_section.paragraphs, strict=True)
                ],
            )
        )
    if problems:
        raise ImportFailed(problems)
    return ImportedText(sections=sections)


def import_markdown(*, kk: str, ru: str) -> ImportedText:
    return align(_parse(markdown_blocks(kk), "kk"), _parse(markdown_blocks(ru), "ru"))


def import_docx(*, kk: bytes, ru: bytes) -> ImportedText:
    problems: list[ImportProblem] = []
    parsed = {}
    for language, data in (("kk", kk), ("ru", ru)):
        try:
            parsed[language] = _parse(docx_blocks(data), language)
        except ImportFailed as failed:
            problems.extend(
                ImportProblem(language, problem.location, problem.message)
                for problem in failed.problems
            )
    if problems:
        raise ImportFailed(problems)
    return align(parsed["kk"], parsed["ru"])
