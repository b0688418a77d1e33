"""The drafting agency's workspace over HTTP: who may open each page (role matrix), the
create → upload → preview → publish flow (Markdown and a real DOCX), import problems that
keep what was typed, extension, withdrawal and outcome, dispositions from the answer
queue, the report refused while comments are unanswered, and bounded queries."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dialogue.services import comment_post
from legal_drafts import services
from legal_drafts.models import Disposition, Draft, DraftAttachment, DraftVersion, Outcome
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_editor

from .conftest import AFTER, BEFORE, DURING, TEXT_KK, TEXT_RU, at, first_paragraph, make_draft
from .test_text_import import KK_DOCX, RU_DOCX, make_docx

pytestmark = pytest.mark.django_db

REFUSED = ("responder", "moderator", "other_drafter", "citizen")
ALLOWED = ("head", "drafter")


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def people(agency_with_staff):
    staff = agency_with_staff
    other = AgencyFactory(slug="ministry-of-health", name_en="Ministry of Health")
    other_drafter = UserFactory(display_name="Health Drafter")
    MembershipFactory(agency=other, user=other_drafter, role="drafter")
    return {
        "anonymous": None,
        "citizen": UserFactory(display_name="Citizen"),
        "other_drafter": other_drafter,
        "responder": staff.responder,
        "moderator": staff.moderator,
        "drafter": staff.drafter,
        "head": staff.head,
        "editor": platform_editor(display_name="Editor"),
    }


def as_(client, person):
    if person is not None:
        client.force_login(person)
    return client


def post_comment(target, text="Please shorten the deadline to ten days.", author=None):
    return comment_post(target=target, author=author or UserFactory(), text=text)


# --- Role matrix --------------------------------------------------------------------------

DRAFT_PAGES = [
    # (url name, moment of the request)
    ("legal_drafts:draft_edit", DURING),
    ("legal_drafts:version_upload", DURING),
    ("legal_drafts:attachment_add", DURING),
    ("legal_drafts:draft_extend", DURING),
    ("legal_drafts:draft_withdraw", DURING),
    ("legal_drafts:draft_outcome", AFTER),
    ("legal_drafts:answer_queue", DURING),
    ("legal_drafts:report_publish", AFTER),
]


@pytest.mark.parametrize(("name", "moment"), DRAFT_PAGES)
@pytest.mark.parametrize("role", [*ALLOWED, *REFUSED, "anonymous"])
def test_draft_pages_role_matrix(client, people, draft, name, moment, role):
    url = en(name, pk=draft.pk)
    with time_machine.travel(moment, tick=False):
        response = as_(client, people[role]).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif role in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "You cannot do this" in response.content.decode()


@pytest.mark.parametrize("name", ["legal_drafts:workspace_agency", "legal_drafts:draft_create"])
@pytest.mark.parametrize("role", [*ALLOWED, "editor", *REFUSED, "anonymous"])
def test_agency_pages_role_matrix(client, people, agency_with_staff, name, role):
    url = en(name, agency=agency_with_staff.agency.slug)
    response = as_(client, people[role]).get(url)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in (*ALLOWED, "editor"):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("drafter", 200),
        ("editor", 200),
        ("other_drafter", 200),
        ("responder", 403),
        ("moderator", 403),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_home_role_matrix(client, people, draft, role, status):
    response = as_(client, people[role]).get(en("legal_drafts:workspace"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        # Each sees their own agency; the editor every agency with drafts.
        assert ("Ministry of Justice" in html) == (role != "other_drafter")
        assert ("Ministry of Health" in html) == (role == "other_drafter")


def test_editor_may_keep_drafts_but_not_answer(client, people, draft):
    client.force_login(people["editor"])
    with time_machine.travel(DURING, tick=False):
        post_comment(first_paragraph(draft))
        assert client.get(en("legal_drafts:draft_edit", pk=draft.pk)).status_code == 200
        queue = client.get(en("legal_drafts:answer_queue", pk=draft.pk))
    assert queue.status_code == 200
    assert "Publish the disposition" not in queue.content.decode()
    with time_machine.travel(AFTER, tick=False):
        refused = client.get(en("legal_drafts:report_publish", pk=draft.pk))
    assert refused.status_code == 403
    assert "head and the drafters of the drafting agency" in refused.content.decode()


# --- Create, upload, preview, publish ---------------------------------------------------


def draft_data(**overrides) -> dict:
    from legal_drafts.models import DraftType

    data = {
        "type": DraftType.objects.get(code="order").pk,
        "title_kk": "Жаңа бұйрық",
        "title_ru": "Новый приказ",
        "summary_kk": "",
        "summary_ru": "Кратко",
        "explanatory_note_kk": "",
        "explanatory_note_ru": "",
        "opens_at": "2026-03-02T09:00",
        "closes_at": "2026-03-20T18:00",
    }
    data.update(overrides)
    return data


def test_create_upload_markdown_preview_and_publish(client, agency_with_staff):
    staff = agency_with_staff
    client.force_login(staff.drafter)
    with time_machine.travel(BEFORE, tick=False):
        form = client.get(en("legal_drafts:draft_create", agency=staff.agency.slug))
        assert 'type="datetime-local"' in form.content.decode()
        assert "at least 10 calendar days" in form.content.decode()
        response = client.post(
            en("legal_drafts:draft_create", agency=staff.agency.slug),
            draft_data(responsible_officials=[staff.head.pk]),
        )
        draft = Draft.objects.get(title_ru="Новый приказ")
        assert response.status_code == 302
        assert response["Location"] == en("legal_drafts:version_upload", pk=draft.pk)
        # Typed in Astana time, stored aware.
        assert draft.opens_at == at(2026, 3, 2, 9)
        assert list(draft.responsible_officials.all()) == [staff.head]

        upload = client.post(
            en("legal_drafts:version_upload", pk=draft.pk),
            {"format": "markdown", "markdown_kk": TEXT_KK, "markdown_ru": TEXT_RU},
        )
        assert upload.status_code == 302
        version = DraftVersion.objects.get(draft=draft)
        assert version.published_at is None
        preview = client.get(en("legal_drafts:version_upload", pk=draft.pk)).content.decode()
        assert "art-1-p-2" in preview
        assert "Обращение рассматривается в течение пятнадцати рабочих дней." in preview
        assert "Өтініш он бес жұмыс күні ішінде қаралады." in preview
        assert "Publish this version" in preview

        # Publishing needs the confirmation; the typed note is kept.
        refused = client.post(
            en("legal_drafts:version_publish", pk=draft.pk), {"note_ru": "Первая редакция"}
        )
        assert refused.status_code == 200
        assert "Confirm that you have checked the text." in refused.content.decode()
        assert "Первая редакция" in refused.content.decode()
        assert not DraftVersion.objects.filter(published_at__isnull=False).exists()

        published = client.post(
            en("legal_drafts:version_publish", pk=draft.pk),
            {"note_ru": "Первая редакция", "confirm": "on"},
        )
    assert published.status_code == 302
    current = draft.current_version()
    assert current.number == 1
    assert current.note_ru == "Первая редакция"
    assert current.paragraphs.count() == 3
    assert draft.report.obligation is not None  # the report duty opened


def test_a_second_version_previews_its_changes(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    changed = TEXT_RU.replace("пятнадцати", "десяти")
    with time_machine.travel(DURING, tick=False):
        client.post(
            en("legal_drafts:version_upload", pk=draft.pk),
            {"format": "markdown", "markdown_kk": TEXT_KK, "markdown_ru": changed},
        )
        html = client.get(en("legal_drafts:version_upload", pk=draft.pk)).content.decode()
    assert "Changes from version 1" in html
    assert re.search(r"<del>.*пятнадцати</del>", html)
    assert re.search(r"<ins>.*десяти</ins>", html)


def test_create_shows_service_errors_on_fields_and_keeps_input(client, agency_with_staff):
    staff = agency_with_staff
    client.force_login(staff.drafter)
    with time_machine.travel(BEFORE, tick=False), translation.override("en"):
        response = client.post(
            en("legal_drafts:draft_create", agency=staff.agency.slug),
            draft_data(closes_at="2026-03-05T18:00", title_ru="Слишком короткое обсуждение"),
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "the discussion must last at least 10 calendar days" in html
    assert 'id="draft-closes_at_error"' in html
    assert "Слишком короткое обсуждение" in html
    assert 'value="2026-03-05T18:00"' in html
    assert not Draft.objects.exists()


def test_edit_locks_the_window_once_published(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(DURING, tick=False):
        page = client.get(en("legal_drafts:draft_edit", pk=draft.pk)).content.decode()
        assert re.search(r'name="closes_at"[^>]*disabled', page)
        response = client.post(
            en("legal_drafts:draft_edit", pk=draft.pk),
            draft_data(title_ru="Новое название", closes_at="2026-04-30T18:00"),
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_ru == "Новое название"
    assert draft.closes_at == at(2026, 3, 20, 18)  # unchanged: extend instead


def test_docx_upload(client, agency_with_staff):
    draft = make_draft(agency_with_staff, publish=False)
    client.force_login(agency_with_staff.head)
    files = {
        "docx_kk": SimpleUploadedFile("kk.docx", make_docx(KK_DOCX)),
        "docx_ru": SimpleUploadedFile("ru.docx", make_docx(RU_DOCX)),
    }
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            en("legal_drafts:version_upload", pk=draft.pk), {"format": "docx", **files}
        )
        assert response.status_code == 302
        html = client.get(en("legal_drafts:version_upload", pk=draft.pk)).content.decode()
    version = DraftVersion.objects.get(draft=draft)
    assert list(version.paragraphs.values_list("anchor", flat=True)) == [
        "art-1-p-1",
        "art-1-p-2",
        "art-2-p-1",
        "art-2-p-2",
    ]
    assert "Срок продлевается один раз." in html


def test_unparseable_text_lists_problems_and_keeps_the_markdown(client, agency_with_staff):
    draft = make_draft(agency_with_staff, publish=False)
    client.force_login(agency_with_staff.drafter)
    ru = TEXT_RU + "\n# Статья 3. Лишняя статья\n\n1. Только по-русски.\n"
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            en("legal_drafts:version_upload", pk=draft.pk),
            {"format": "markdown", "markdown_kk": TEXT_KK, "markdown_ru": ru},
        )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The text could not be imported" in html
    assert "The Kazakh text has 2 sections, the Russian 3." in html
    assert "Лишняя статья" in html  # the typed text is back in its box
    assert "Осы Қағидалар азаматтардың" in html
    assert not DraftVersion.objects.filter(draft=draft).exists()


def test_broken_docx_lists_the_problem(client, agency_with_staff):
    draft = make_draft(agency_with_staff, publish=False)
    client.force_login(agency_with_staff.drafter)
    files = {
        "docx_kk": SimpleUploadedFile("kk.docx", b"not a word file"),
        "docx_ru": SimpleUploadedFile("ru.docx", make_docx(RU_DOCX)),
    }
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            en("legal_drafts:version_upload", pk=draft.pk), {"format": "docx", **files}
        )
    assert response.status_code == 400
    assert "This is not a readable DOCX file." in response.content.decode()


def test_attachment_add_checks_the_content(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    url = en("legal_drafts:attachment_add", pk=draft.pk)
    with time_machine.travel(DURING, tick=False):
        fake = client.post(
            url,
            {
                "kind": "business_chamber",
                "attachments": SimpleUploadedFile("opinion.pdf", b"plain text, not a PDF"),
            },
        )
        assert fake.status_code == 200
        assert 'class="errorlist"' in fake.content.decode()
        assert not DraftAttachment.objects.exists()
        good = client.post(
            url,
            {
                "kind": "business_chamber",
                "attachments": SimpleUploadedFile("opinion.pdf", b"%PDF-1.4\n%%EOF\n"),
            },
        )
    assert good.status_code == 302
    assert DraftAttachment.objects.get().kind == "business_chamber"


# --- Extend, withdraw, outcome ----------------------------------------------------------


def test_extend_through_the_view(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    url = en("legal_drafts:draft_extend", pk=draft.pk)
    with time_machine.travel(DURING, tick=False):
        early = client.post(url, {"new_closes_at": "2026-03-19T18:00", "reason": "Просьбы"})
        assert early.status_code == 200
        assert "later than the current one" in early.content.decode()
        assert "Просьбы" in early.content.decode()
        done = client.post(url, {"new_closes_at": "2026-03-27T18:00", "reason": "Просьбы"})
        assert done.status_code == 302
        again = client.get(url)
    draft.refresh_from_db()
    assert draft.extended_closes_at == at(2026, 3, 27, 18)
    assert again.status_code == 403
    assert "already been extended once" in again.content.decode()


def test_withdraw_needs_confirmation(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.head)
    url = en("legal_drafts:draft_withdraw", pk=draft.pk)
    with time_machine.travel(DURING, tick=False):
        unconfirmed = client.post(url, {"reason": "Концепция изменилась"})
        assert unconfirmed.status_code == 200
        assert "Confirm the withdrawal." in unconfirmed.content.decode()
        assert "Концепция изменилась" in unconfirmed.content.decode()
        draft.refresh_from_db()
        assert draft.outcome == ""
        done = client.post(url, {"reason": "Концепция изменилась", "confirm": "on"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.outcome == Outcome.WITHDRAWN


def test_outcome_after_the_close(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    url = en("legal_drafts:draft_outcome", pk=draft.pk)
    with time_machine.travel(DURING, tick=False):
        early = client.post(url, {"outcome": "sent_back"})
        assert early.status_code == 403
        assert "once the discussion has closed" in early.content.decode()
    with time_machine.travel(AFTER, tick=False):
        missing = client.post(url, {"outcome": "adopted", "adopted_url": "https://adilet.zan.kz/1"})
        assert missing.status_code == 200
        assert "Give the date of adoption." in missing.content.decode()
        assert "https://adilet.zan.kz/1" in missing.content.decode()
        done = client.post(
            url,
            {
                "outcome": "adopted",
                "adopted_url": "https://adilet.zan.kz/1",
                "adopted_on": "2026-04-01",
            },
        )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.outcome == Outcome.ADOPTED
    assert draft.adopted_on == datetime.date(2026, 4, 1)


def test_refused_post_keeps_what_was_typed(client, draft, agency_with_staff):
    """The discussion closed while the official typed the extension's reason."""
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            en("legal_drafts:draft_extend", pk=draft.pk),
            {"new_closes_at": "2026-03-30T18:00", "reason": "Много предложений"},
        )
    assert response.status_code == 403
    assert "Много предложений" in response.content.decode()
    assert "can no longer be extended" in response.content.decode()


# --- Answer queue and dispositions ------------------------------------------------------


@pytest.fixture
def commented(draft):
    """Three comments during the discussion: two on the first paragraph, one on the draft."""
    with time_machine.travel(DURING, tick=False):
        paragraph = first_paragraph(draft)
        first = post_comment(paragraph, "Первое замечание", UserFactory(display_name="Aigerim"))
        second = post_comment(paragraph, "Второе замечание")
        whole = post_comment(draft, "О проекте в целом")
    return {"first": first, "second": second, "whole": whole}


def test_queue_lists_comments_with_paragraph_and_due_date(
    client, draft, commented, agency_with_staff
):
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(AFTER, tick=False):
        response = client.get(en("legal_drafts:answer_queue", pk=draft.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Первое замечание") < html.index("Второе замечание")
    assert "art-1-p-1" in html
    assert "Aigerim" in html
    assert "@" not in re.sub(r"<[^>]+>", "", html.split("<main", 1)[1])  # no emails
    assert "Disposition due by" in html
    assert 'datetime="2026-04-08' in html  # ten working days after 20 March
    assert html.count("Publish the disposition") == 3


def test_queue_filters_by_anchor_and_status(client, draft, commented, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(AFTER, tick=False):
        services.disposition_give(
            comment=commented["first"], actor=agency_with_staff.drafter, value="noted", reason="Ok"
        )
        url = en("legal_drafts:answer_queue", pk=draft.pk)
        unanswered = client.get(url).content.decode()
        answered = client.get(url, {"status": "answered"}).content.decode()
        whole = client.get(url, {"status": "all", "anchor": "draft"}).content.decode()
    assert "Первое замечание" not in unanswered and "Второе замечание" in unanswered
    assert "Первое замечание" in answered and "Второе замечание" not in answered
    assert "О проекте в целом" in whole and "Второе замечание" not in whole


def test_disposition_through_the_view_returns_to_the_filtered_queue(
    client, draft, commented, agency_with_staff
):
    client.force_login(agency_with_staff.drafter)
    comment = commented["second"]
    back = en("legal_drafts:answer_queue", pk=draft.pk) + "?status=unanswered&anchor=art-1-p-1"
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            en("legal_drafts:disposition", comment_pk=comment.pk),
            {"value": "accepted", "reason": "Учтено в новой редакции", "next": back},
        )
        assert response.status_code == 302
        assert response["Location"] == back
        evil = client.post(
            en("legal_drafts:disposition", comment_pk=commented["whole"].pk),
            {"value": "noted", "reason": "Принято к сведению", "next": "https://evil.example/"},
        )
    assert evil["Location"] == en("legal_drafts:answer_queue", pk=draft.pk)
    disposition = Disposition.objects.get(comment=comment)
    assert (disposition.value, disposition.reason) == ("accepted", "Учтено в новой редакции")


def test_disposition_errors_keep_the_reason(client, draft, commented, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            en("legal_drafts:disposition", comment_pk=commented["first"].pk),
            {"reason": "Причина без решения"},
        )
    assert response.status_code == 200
    assert "Причина без решения" in response.content.decode()
    assert "This field is required." in response.content.decode()
    assert not Disposition.objects.exists()


@pytest.mark.parametrize("role", ["responder", "moderator", "other_drafter", "citizen", "editor"])
def test_disposition_refused(client, people, draft, commented, role):
    client.force_login(people[role])
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            en("legal_drafts:disposition", comment_pk=commented["first"].pk),
            {"value": "noted", "reason": "Принято"},
        )
    assert response.status_code == 403
    assert not Disposition.objects.exists()


def test_second_disposition_refused_with_text_kept(client, draft, commented, agency_with_staff):
    client.force_login(agency_with_staff.head)
    url = en("legal_drafts:disposition", comment_pk=commented["first"].pk)
    with time_machine.travel(AFTER, tick=False):
        client.post(url, {"value": "noted", "reason": "Первый ответ"})
        again = client.post(url, {"value": "accepted", "reason": "Второй ответ"})
    assert again.status_code == 403
    assert "already has a disposition" in again.content.decode()
    assert "Второй ответ" in again.content.decode()
    assert Disposition.objects.get().reason == "Первый ответ"


def test_disposition_is_post_only(client, draft, commented, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    response = client.get(en("legal_drafts:disposition", comment_pk=commented["first"].pk))
    assert response.status_code == 405


# --- The report -------------------------------------------------------------------------


def test_report_refused_while_unanswered_then_published(
    client, draft, commented, agency_with_staff
):
    staff = agency_with_staff
    client.force_login(staff.drafter)
    url = en("legal_drafts:report_publish", pk=draft.pk)
    with time_machine.travel(AFTER, tick=False):
        page = client.get(url).content.decode()
        assert re.search(r"Comments</dt><dd>3<", page)
        refused = client.post(url, {"summary_ru": "Итоги обсуждения"})
        html = refused.content.decode()
        assert refused.status_code == 200
        assert "3 comments still have no disposition" in html
        assert "answers/?status=unanswered" in html
        assert "Итоги обсуждения" in html
        draft.report.refresh_from_db()
        assert draft.report.published_at is None
        for comment in commented.values():
            services.disposition_give(
                comment=comment, actor=staff.drafter, value="noted", reason="Ok"
            )
        done = client.post(url, {"summary_ru": "Итоги обсуждения"})
    assert done.status_code == 302
    draft.report.refresh_from_db()
    assert draft.report.published_at is not None
    assert draft.report.summary_ru == "Итоги обсуждения"


def test_report_not_before_the_close(client, draft, agency_with_staff):
    client.force_login(agency_with_staff.drafter)
    with time_machine.travel(DURING, tick=False):
        response = client.post(en("legal_drafts:report_publish", pk=draft.pk), {})
    assert response.status_code == 403
    assert "once the discussion has closed" in response.content.decode()


# --- Queries ----------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_agency_drafts_queries_do_not_grow(
    client, agency_with_staff, django_assert_max_num_queries
):
    staff = agency_with_staff
    client.force_login(staff.drafter)
    url = en("legal_drafts:workspace_agency", agency=staff.agency.slug)

    def add(count: int) -> None:
        for number in range(count):
            draft = make_draft(staff, title_kk=f"Проект {number}", title_ru=f"Проект {number}")
            with time_machine.travel(DURING, tick=False):
                for _ in range(3):
                    post_comment(first_paragraph(draft))
                post_comment(draft)

    add(2)
    make_draft(staff, publish=False, title_kk="Дайындалуда", title_ru="В подготовке")
    with time_machine.travel(AFTER, tick=False):
        few = _count(client, url)
    add(4)
    with time_machine.travel(AFTER, tick=False), django_assert_max_num_queries(few):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<tr id="draft-') == 7
    assert "in preparation" in html
    # 4 comments per draft, all unanswered and overdue after the close + 10 working days.
    assert re.search(r"<td>4</td>\s*<td>0</td>", html)


def test_agency_drafts_counts(client, draft, commented, agency_with_staff):
    staff = agency_with_staff
    client.force_login(staff.drafter)
    with time_machine.travel(datetime.datetime(2026, 4, 10, 12, tzinfo=AFTER.tzinfo), tick=False):
        services.disposition_give(
            comment=commented["first"], actor=staff.drafter, value="noted", reason="Ok"
        )
        html = client.get(
            en("legal_drafts:workspace_agency", agency=staff.agency.slug)
        ).content.decode()
    assert "<td>3</td>" in html  # comments
    assert "<td>1</td>" in html  # answered
    assert "2 overdue" in html  # the two unanswered duties were due on 8 April
    assert "Overdue since" in html  # the report duty too


def test_answer_queue_queries_do_not_grow(
    client, draft, agency_with_staff, django_assert_max_num_queries
):
    client.force_login(agency_with_staff.drafter)
    url = en("legal_drafts:answer_queue", pk=draft.pk)

    def add(count: int) -> None:
        with time_machine.travel(DURING, tick=False):
            paragraph = first_paragraph(draft)
            for number in range(count):
                post_comment(paragraph if number % 2 else draft, f"Замечание {number}")

    add(3)
    with time_machine.travel(AFTER, tick=False):
        few = _count(client, url)
    add(40)
    with time_machine.travel(AFTER, tick=False), django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Publish the disposition") == 25


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("head", True),
        ("drafter", True),
        ("other_drafter", True),
        ("editor", True),
        ("responder", False),
        ("moderator", False),
        ("citizen", False),
    ],
)
def test_header_link_is_for_drafting_officials(people, role, expected):
    from legal_drafts.workspace import has_drafts_workspace

    assert has_drafts_workspace(people[role]) is expected


def test_header_link_not_for_anonymous():
    from django.contrib.auth.models import AnonymousUser

    from legal_drafts.workspace import has_drafts_workspace

    assert has_drafts_workspace(AnonymousUser()) is False
