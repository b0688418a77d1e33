"""Word-level diff between versions, with the accepted comments behind each change."""

from __future__ import annotations

import pytest
import time_machine

from dialogue.services import comment_post
from legal_drafts import services
from legal_drafts.diff import ADDED, CHANGED, REMOVED, UNCHANGED, version_diff, word_diff
from legal_drafts.text_import import import_markdown
from tests.factories import UserFactory

from .conftest import AFTER, DURING, TEXT_KK, TEXT_RU, first_paragraph

pytestmark = pytest.mark.django_db


def test_word_diff_keeps_both_texts():
    old, new = "рассматривается в течение пятнадцати дней", "рассматривается в течение десяти дней"
    pieces = word_diff(old, new)
    assert [(p.op, p.text) for p in pieces if p.op != "equal"] == [
        ("delete", "пятнадцати"),
        ("insert", "десяти"),
    ]
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new


def test_version_diff_pairs_by_anchor_and_links_accepted_comments(draft, agency_with_staff):
    staff = agency_with_staff
    second = draft.current_version().paragraphs.get(anchor="art-1-p-2")
    with time_machine.travel(DURING, tick=False):
        accepted = comment_post(target=second, author=UserFactory(), text="Ten days are enough.")
        rejected = comment_post(target=second, author=UserFactory(), text="Make it thirty.")
        noted = comment_post(target=first_paragraph(draft), author=UserFactory(), text="Fine.")
    with time_machine.travel(AFTER, tick=False):
        for comment, value in (
            (accepted, "accepted"),
            (rejected, "not_accepted"),
            (noted, "noted"),
        ):
            services.disposition_give(
                comment=comment, actor=staff.drafter, value=value, reason="R."
            )
        old = draft.current_version()
        kk = TEXT_KK.replace("он бес", "он").replace(
            "# 2-бап", "3. Шағымдар электрондық түрде беріледі.\n\n# 2-бап"
        )
        kk = kk.replace("1. Осы бұйрық", "1. Бұл бұйрық")
        ru = TEXT_RU.replace("пятнадцати", "десяти").replace(
            "# Статья 2", "3. Жалобы подаются в электронной форме.\n\n# Статья 2"
        )
        ru = ru.replace("1. Настоящий приказ", "1. Этот приказ")
        new = services.version_create(
            draft=draft, actor=staff.drafter, text=import_markdown(kk=kk, ru=ru)
        )
    result = {entry.anchor: entry for entry in version_diff(old, new)}
    assert {a: e.status for a, e in result.items()} == {
        "art-1-p-1": UNCHANGED,
        "art-1-p-2": CHANGED,
        "art-1-p-3": ADDED,
        "art-2-p-1": CHANGED,
    }
    assert [d.comment_id for d in result["art-1-p-2"].dispositions] == [accepted.pk]
    assert result["art-2-p-1"].dispositions == []
    assert ("insert", "десяти") in [(p.op, p.text) for p in result["art-1-p-2"].pieces_ru]
    back = {entry.anchor: entry.status for entry in version_diff(new, old)}
    assert back["art-1-p-3"] == REMOVED
