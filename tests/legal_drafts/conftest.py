"""Fixtures of the legal-draft tests: an "order" of the Ministry of Justice
(agency_with_staff) discussed from Monday 2 March to Friday 20 March 2026, 18:00 Astana
time, with a two-article text in Kazakh and Russian."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from legal_drafts import services
from legal_drafts.models import Draft, DraftType
from legal_drafts.text_import import import_markdown

ALMATY = ZoneInfo("Asia/Almaty")

TEXT_KK = """# 1-бап. Жалпы ережелер

1. Осы Қағидалар азаматтардың өтініштерін қарау тәртібін айқындайды.
2. Өтініш он бес жұмыс күні ішінде қаралады.

# 2-бап. Қорытынды ережелер

1. Осы бұйрық алғашқы ресми жарияланған күнінен кейін қолданысқа енгізіледі.
"""

TEXT_RU = """# Статья 1. Общие положения

1. Настоящие Правила определяют порядок рассмотрения обращений граждан.
2. Обращение рассматривается в течение пятнадцати рабочих дней.

# Статья 2. Заключительные положения

1. Настоящий приказ вводится в действие после дня его официального опубликования.
"""


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


OPENS = at(2026, 3, 2, 9)
CLOSES = at(2026, 3, 20, 18)
BEFORE = at(2026, 2, 25)
DURING = at(2026, 3, 10)
AFTER = at(2026, 3, 23)


def order_type() -> DraftType:
    return DraftType.objects.get(code="order")


def make_draft(staff, *, opens=OPENS, closes=CLOSES, publish=True, **fields) -> Draft:
    """A draft created (and its text published) before the window opens."""
    with time_machine.travel(BEFORE, tick=False):
        draft = services.draft_create(
            actor=staff.drafter,
            agency=staff.agency,
            type=fields.pop("type", None) or order_type(),
            title_kk=fields.pop("title_kk", "Өтініштерді қарау қағидалары туралы бұйрық"),
            title_ru=fields.pop("title_ru", "Приказ о правилах рассмотрения обращений"),
            opens_at=opens,
            closes_at=closes,
            **fields,
        )
        if publish:
            version = services.version_create(
                draft=draft, actor=staff.drafter, text=import_markdown(kk=TEXT_KK, ru=TEXT_RU)
            )
            services.version_publish(version=version, actor=staff.drafter)
    return Draft.objects.get(pk=draft.pk)


@pytest.fixture
def draft(agency_with_staff) -> Draft:
    return make_draft(agency_with_staff)


def first_paragraph(draft: Draft):
    return draft.current_version().paragraphs.order_by("order").first()
