"""The discussion report: visibility before and after publication, completeness of the
page, the CSV and the PDF, and bounded queries."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zlib

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dialogue.services import comment_hide, comment_post
from legal_drafts import report as report_module
from legal_drafts import selectors, services
from legal_drafts.models import DispositionValue
from legal_drafts.selectors import ReportRow
from tests.factories import OrganisationMembershipFactory, UserFactory, platform_editor

from .conftest import AFTER, DURING, first_paragraph, make_draft

pytestmark = pytest.mark.django_db

KAZAKH = "Әділет ғылым қоғам теңіз өнер ұлт үй һәм іс"
PUBLISHED = AFTER + datetime.timedelta(days=2)


def post(target, author=None, text="Please shorten the deadline to ten days.", **kwargs):
    return comment_post(target=target, author=author or UserFactory(), text=text, **kwargs)


def discussed(staff, *, comments: int = 3, answer: bool = True, publish: bool = True):
    """A draft with `comments` top-level comments (on paragraphs and on the draft), one
    reply, one hidden comment, an organisation's comment and two votes; answered after
    the close and its report published, unless told otherwise."""
    draft = make_draft(staff)
    posted = []
    with time_machine.travel(DURING, tick=False):
        paragraph = first_paragraph(draft)
        for index in range(comments):
            target = paragraph if index % 2 == 0 else draft
            posted.append(post(target, text=f"Comment number {index}. {KAZAKH}"))
        if len(posted) > 1:
            post(draft, parent=posted[1], text="A reply is not a row.")
        membership = OrganisationMembershipFactory(organisation__verified=True)
        posted.append(
            post(
                draft,
                author=membership.user,
                organisation=membership.organisation,
                text="The organisation's view.",
            )
        )
        hidden = post(draft, text="Rude words.")
        comment_hide(comment=hidden, reason="abuse", actor=staff.head)
        posted.append(hidden)
        services.vote_cast(draft=draft, user=UserFactory(), value="for")
        services.vote_cast(draft=draft, user=UserFactory(), value="against")
    if answer:
        values = DispositionValue.values
        with time_machine.travel(AFTER, tick=False):
            for index, comment in enumerate(posted[:-1]):
                services.disposition_give(
                    comment=comment,
                    actor=staff.drafter,
                    value=values[index % len(values)],
                    reason=f"Reason {index}: {KAZAKH}",
                )
    if answer and publish:
        with time_machine.travel(PUBLISHED, tick=False):
            services.report_publish(
                draft=draft,
                actor=staff.head,
                summary_kk="Қорытынды: ұсыныстар ескерілді.",
                summary_ru="Итог: предложения учтены.",
            )
    draft.refresh_from_db()
    return draft, posted


def url(name: str, draft, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"legal_drafts:{name}", args=[draft.pk])


# --- visibility -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report", "report_csv", "report_pdf"])
def test_unpublished_report_is_404_for_the_public_and_a_preview_for_drafters(
    client, agency_with_staff, name
):
    draft, _posted = discussed(agency_with_staff, publish=False)
    assert client.get(url(name, draft)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url(name, draft)).status_code == 404
    client.force_login(agency_with_staff.responder)  # answers questions, not drafts
    assert client.get(url(name, draft)).status_code == 404
    for person in (agency_with_staff.drafter, agency_with_staff.head, platform_editor()):
        client.force_login(person)
        response = client.get(url(name, draft))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    if name == "report":
        content = response.content.decode()
        assert "Draft of the report: not published yet" in content
        assert 'name="robots" content="noindex"' in content


def test_published_report_is_public_with_counts_summary_and_publisher(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff)
    response = client.get(url("report", draft, "ru"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Итог: предложения учтены." in content
    assert "Қорытынды" not in content
    assert agency_with_staff.head.public_name in content
    assert "Draft of the report" not in content and "noindex" not in content
    counts = response.context["counts"]
    assert (counts.comments, counts.answered, counts.unanswered) == (5, 4, 0)
    assert counts.not_required == 1  # the hidden comment needs no disposition
    assert (counts.votes_for, counts.votes_against) == (1, 1)
    assert counts.participants == 5
    assert counts.by_disposition == {"accepted": 1, "partially": 1, "not_accepted": 1, "noted": 1}
    kk = client.get(url("report", draft, "kk")).content.decode()
    assert "Қорытынды: ұсыныстар ескерілді." in kk


def test_page_table_is_accessible_and_links_paragraphs(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff)
    content = client.get(url("report", draft)).content.decode()
    assert "<caption>" in content
    assert content.count('<th scope="col">') == 7
    assert content.count('<th scope="row">') == len(posted)
    paragraph = first_paragraph(draft)
    with translation.override("en"):
        link = reverse("legal_drafts:paragraph", args=[draft.pk, 1, paragraph.anchor])
    assert f'href="{link}#c{posted[0].pk}"' in content
    assert "Article 1, paragraph 1" in content
    assert url("report_csv", draft) in content and url("report_pdf", draft) in content
    assert "@media print" in content
    # The hidden comment shows its state, never its text.
    assert "Rude words." not in content
    assert "hidden by a moderator" in content


def test_no_email_on_the_page_or_in_downloads(client, agency_with_staff):
    draft, _posted = discussed(agency_with_staff)
    page = client.get(url("report", draft)).content.decode()
    csv_text = b"".join(client.get(url("report_csv", draft)).streaming_content).decode()
    for text in (page, csv_text):
        assert "@example.kz" not in text and "@justice.gov.kz" not in text


# --- completeness and pagination ---------------------------------------------------------


def test_every_top_level_comment_once_across_pages(client, agency_with_staff, monkeypatch):
    draft, posted = discussed(agency_with_staff, comments=7)
    monkeypatch.setattr(selectors, "REPORT_PAGE_SIZE", 3)
    monkeypatch.setattr(
        report_module,
        "report_rows_page",
        lambda draft, number: selectors.report_rows_page(draft, number, per_page=3),
    )
    seen = []
    for page in (1, 2, 3):
        response = client.get(url("report", draft), {"page": page})
        seen += re.findall(r'<tr id="row-(\d+)">', response.content.decode())
    assert sorted(int(pk) for pk in seen) == sorted(comment.pk for comment in posted)
    assert len(seen) == len(set(seen)) == 9


def test_iterator_streams_in_chunks_and_agrees_with_the_list(agency_with_staff):
    draft, posted = discussed(agency_with_staff, comments=6)
    chunked = list(selectors.iter_report_rows(draft, chunk_size=2))
    assert [row.comment_id for row in chunked] == [
        row.comment_id for row in selectors.report_rows(draft)
    ]
    assert sorted(row.comment_id for row in chunked) == sorted(c.pk for c in posted)
    first = chunked[0]
    assert (first.paragraph_anchor, first.version_number) == ("art-1-p-1", 1)
    assert first.text.startswith("Comment number 0.") and first.posted_at == DURING


@pytest.mark.parametrize("name", ["report", "report_csv", "report_pdf"])
def test_queries_do_not_grow_with_comments(
    client, agency_with_staff, django_assert_max_num_queries, name
):
    small, _ = discussed(agency_with_staff, comments=2)
    big, _ = discussed(agency_with_staff, comments=24)
    client.get(url("report", small))  # the site's settings row is created on first use
    counts = []
    for draft in (small, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(name, draft))
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(25):
        client.get(url(name, big))


def test_csv_chunks_are_bounded_queries(agency_with_staff, django_assert_max_num_queries):
    draft, posted = discussed(agency_with_staff, comments=12)
    with django_assert_max_num_queries(4 + len(posted) // 4 + 1):
        rows = list(selectors.iter_report_rows(draft, chunk_size=4))
    assert len(rows) == len(posted)


# --- CSV --------------------------------------------------------------------------------


def test_csv_has_bom_translated_header_and_one_row_per_comment(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff)
    response = client.get(url("report_csv", draft, "ru"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="draft-{draft.pk}-report.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] != "Comment" and len(header) == 11
    assert sorted(int(row[0]) for row in body) == sorted(comment.pk for comment in posted)
    by_id = {int(row[0]): row for row in body}
    first = by_id[posted[0].pk]
    assert first[3] == "art-1-p-1" and first[4] == "1"
    assert first[8].startswith("Reason 0:") and KAZAKH in first[8]
    assert first[10].startswith("Comment number 0.")
    organisation_row = by_id[posted[-2].pk]
    assert organisation_row[5].startswith("Civic Watch")
    hidden = by_id[posted[-1].pk]
    assert "Rude words." not in hidden[10]
    assert hidden[7] == "не требуется (скрыт или отозван)"  # no disposition is owed


def test_csv_header_in_english(client, agency_with_staff):
    draft, _posted = discussed(agency_with_staff)
    raw = b"".join(client.get(url("report_csv", draft, "en")).streaming_content)
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:3] == ["Comment", "Posted at", "Paragraph"]


# --- PDF --------------------------------------------------------------------------------


def _to_unicode_maps(pdf: bytes) -> str:
    """A PDF's text with its streams decompressed: the ToUnicode maps list each glyph's
    Unicode code."""
    found = [pdf.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(found)


def test_pdf_embeds_a_font_with_the_kazakh_letters(client, agency_with_staff, caplog):
    draft, _posted = discussed(agency_with_staff)
    with caplog.at_level(logging.WARNING):
        response = client.get(url("report_pdf", draft, "kk"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="draft-{draft.pk}-report.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf and b"DejaVuSans" in pdf
    assert not [r for r in caplog.records if "missing" in r.getMessage().lower()]
    maps = _to_unicode_maps(pdf).upper()
    # ә ғ қ ң ө ұ ү һ і are mapped in the embedded font's ToUnicode table.
    for code in ("04D9", "0493", "049B", "04A3", "04E9", "04B1", "04AF", "04BB", "0456"):
        assert f"<{code}>" in maps, code


def test_missing_glyphs_would_be_reported(caplog):
    """The check above can fail: a glyph the font lacks is logged by fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(report_module.FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    with caplog.at_level(logging.WARNING):
        pdf.cell(text="\U0001f99c\u4e2d")
        pdf.output()
    assert any("missing" in r.getMessage().lower() for r in caplog.records)


def test_pdf_with_two_thousand_rows_completes(agency_with_staff, monkeypatch):
    draft, _posted = discussed(agency_with_staff, comments=1)

    def many(draft, chunk_size=500):
        for index in range(2000):
            yield ReportRow(
                comment_id=index + 1,
                paragraph_anchor="art-1-p-1",
                version_number=1,
                author=f"Азамат {index}",
                state="visible",
                disposition="accepted",
                disposition_label="қабылданды",
                reason=f"Ұсыныс ескерілді, {KAZAKH}.",
                text=f"Мерзімді он күнге дейін қысқартуды ұсынамын. {KAZAKH} " * 2,
                paragraph_label="1-бап, 1-тармақ",
                state_label="көрінеді",
            )

    monkeypatch.setattr(report_module, "iter_report_rows", many)
    with translation.override("kk"):
        pdf = report_module.build_pdf(draft)
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page\n") > 40


def test_the_published_pdf_is_built_once_per_state(client, agency_with_staff, monkeypatch):
    """Readers share one build; hiding a comment afterwards (its text must leave the PDF)
    or reading in another language builds anew."""
    draft, posted = discussed(agency_with_staff, comments=2)
    builds = []
    real_build = report_module.build_pdf

    def counting_build(*args, **kwargs):
        builds.append(translation.get_language())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(report_module, "build_pdf", counting_build)
    first = client.get(url("report_pdf", draft, "ru")).content
    assert client.get(url("report_pdf", draft, "ru")).content == first
    assert len(builds) == 1
    client.get(url("report_pdf", draft, "kk"))
    assert len(builds) == 2
    with time_machine.travel(PUBLISHED + datetime.timedelta(days=1), tick=False):
        comment_hide(comment=posted[0], reason="abuse", actor=agency_with_staff.head)
    client.get(url("report_pdf", draft, "ru"))
    assert len(builds) == 3
