"""Word-level differences between two versions of a draft, paragraph by paragraph.

Paragraphs are paired by anchor (the import keeps an unchanged provision's anchor), so a
paragraph is *added* (only in the new version), *removed* (only in the old), *changed* or
*unchanged*. A changed paragraph lists the accepted or partially accepted dispositions
that led to it: those linked to it explicitly (`Disposition.changed_paragraph`) and those
on comments written on the same anchor in the old version.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from .models import Disposition, DispositionValue, DraftVersion, Paragraph

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of the text: `op` is "equal", "insert" or "delete"."""

    op: str
    text: str


@dataclass
class ParagraphDiff:
    anchor: str
    status: str
    old: Paragraph | None
    new: Paragraph | None
    pieces_kk: list[Piece] = field(default_factory=list)
    pieces_ru: list[Piece] = field(default_factory=list)
    dispositions: list[Disposition] = field(default_factory=list)


def word_diff(old: str, new: str) -> list[Piece]:
    """Differences word by word; whitespace runs are tokens too, so joining the pieces
    of either side gives back that side's text exactly."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces


def _accepted_dispositions(old: DraftVersion, new: DraftVersion) -> tuple[dict, dict]:
    """(by old paragraph anchor, by new paragraph id): accepted and partially accepted
    dispositions of comments on the old version, in two queries."""
    accepted = Disposition.objects.filter(
        draft_id=new.draft_id,
        value__in=[DispositionValue.ACCEPTED, DispositionValue.PARTIALLY],
    ).select_related("comment")
    old_paragraphs = dict(Paragraph.objects.filter(version=old).values_list("pk", "anchor"))
    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    by_anchor: dict[str, list[Disposition]] = {}
    by_new_paragraph: dict[int, list[Disposition]] = {}
    for disposition in accepted:
        if disposition.changed_paragraph_id:
            by_new_paragraph.setdefault(disposition.changed_paragraph_id, []).append(disposition)
            continue
        comment = disposition.comment
        if comment.target_type_id == paragraph_type.pk:
            anchor = old_paragraphs.get(int(comment.target_pk))
            if anchor:
                by_anchor.setdefault(anchor, []).append(disposition)
    return by_anchor, by_new_paragraph


def version_diff(old: DraftVersion, new: DraftVersion) -> list[ParagraphDiff]:
    """Every paragraph of either version, in the new version's order (removed ones after
    their old predecessor's place at the end)."""
    old_paragraphs = {p.anchor: p for p in Paragraph.objects.filter(version=old).order_by("order")}
    new_paragraphs = list(Paragraph.objects.filter(version=new).order_by("order"))
    by_anchor, by_new_paragraph = _accepted_dispositions(old, new)
    result: list[ParagraphDiff] = []
    for paragraph in new_paragraphs:
        before = old_paragraphs.get(paragraph.anchor)
        if before is None:
            result.append(ParagraphDiff(paragraph.anchor, ADDED, None, paragraph))
            continue
        same = before.text_kk == paragraph.text_kk and before.text_ru == paragraph.text_ru
        entry = ParagraphDiff(
            paragraph.anchor,
            UNCHANGED if same else CHANGED,
            before,
            paragraph,
            pieces_kk=word_diff(before.text_kk, paragraph.text_kk),
            pieces_ru=word_diff(before.text_ru, paragraph.text_ru),
        )
        if not same:
            entry.dispositions = [
                *by_new_paragraph.get(paragraph.pk, []),
                *by_anchor.get(paragraph.anchor, []),
            ]
        result.append(entry)
    new_anchors = {paragraph.anchor for paragraph in new_paragraphs}
    for anchor, before in old_paragraphs.items():
        if anchor not in new_anchors:
            result.append(ParagraphDiff(anchor, REMOVED, before, None))
    return result
