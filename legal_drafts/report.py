"""The discussion report: its page, its CSV and its printable PDF.

Public once the drafting agency publishes it (`DiscussionReport.published_at`); before
that, the agency's head and drafters (and the platform's editors) see the same page as a
"draft of the report", so they can check it before publishing, and everyone else gets a
404. The table lists every top-level comment exactly once (`selectors`): the page shows
100 rows at a time, the CSV streams in chunks, and the PDF is built in memory (fpdf2 has
no streaming output; a few thousand rows take seconds), so the published report's PDF is
built once per state and language and kept in private storage (`published_pdf`).
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ashyq.uploads import private_storage

from .models import Draft
from .rules import is_drafter_of_draft, keeps_drafts
from .selectors import ReportCounts, ReportRow, iter_report_rows, report_counts, report_rows_page

FONTS = Path(__file__).resolve().parent / "fonts"
BOM = "\ufeff"


# --- access -----------------------------------------------------------------------------


def can_preview(user, draft: Draft) -> bool:
    """The drafting agency's head and drafters, and the platform's editors, see the report
    before it is published (any outcome: an adopted act still owes its report)."""
    return user.is_authenticated and (is_drafter_of_draft(user, draft) or keeps_drafts(user))


def report_draft(request: HttpRequest, pk: int) -> tuple[Draft, bool]:
    """The draft whose report `request.user` may read, and whether it is a preview (not
    yet published). 404 for a report that is not public and not the reader's to check."""
    draft = get_object_or_404(
        Draft.objects.select_related("type", "agency", "report", "report__published_by"),
        pk=pk,
    )
    if draft.report.published_at is not None and draft.is_public():
        return draft, False
    if can_preview(request.user, draft):
        return draft, True
    raise Http404


def _date(value) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _paragraph_cell(row: ReportRow) -> str:
    if not row.paragraph_anchor:
        return _("The draft as a whole")
    return _("%(paragraph)s (version %(version)s)") % {
        "paragraph": row.paragraph_label,
        "version": row.version_number,
    }


# --- the page ---------------------------------------------------------------------------


@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    draft, preview = report_draft(request, pk)
    counts = report_counts(draft)
    page_obj = report_rows_page(draft, request.GET.get("page"))
    published_by = draft.report.published_by
    context = {
        "draft": draft,
        "report": draft.report,
        "preview": preview,
        "counts": counts,
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "published_by_name": published_by.public_name if published_by else "",
        "can_publish": preview and request.user.has_perm("legal_drafts.publish_report", draft),
    }
    response = render(request, "legal_drafts/report/report.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


# --- CSV --------------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        _("Comment"),
        _("Posted at"),
        _("Paragraph"),
        _("Anchor"),
        _("Version"),
        _("Author"),
        _("State"),
        _("Disposition"),
        _("Reason"),
        _("Answered at"),
        _("Text"),
    ]


def csv_row(row: ReportRow) -> list[str]:
    return [
        str(row.comment_id),
        _datetime(row.posted_at),
        _paragraph_cell(row),
        row.paragraph_anchor,
        str(row.version_number or ""),
        row.author,
        row.state_label,
        row.disposition_label,
        row.reason,
        _datetime(row.responded_at),
        row.text if row.is_visible else row.state_label,
    ]


class _Echo:
    """A file-like object whose write returns the line csv.writer gives it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(draft: Draft) -> Iterator[str]:
    """The CSV, line by line: BOM and translated header, then one line per top-level
    comment, read from the database in chunks (memory holds one chunk)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(csv_header())
    for row in iter_report_rows(draft):
        yield writer.writerow(csv_row(row))


def csv_response(draft: Draft) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(draft)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="draft-{draft.pk}-report.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    draft, preview = report_draft(request, pk)
    response = csv_response(draft)
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


# --- PDF --------------------------------------------------------------------------------


def _pdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=7)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    return ReportPDF


def build_pdf(draft: Draft, *, preview: bool = False, counts: ReportCounts | None = None) -> bytes:
    """The report as an A4 landscape PDF with the DejaVu Sans font embedded (it covers
    Kazakh Cyrillic: ә ғ қ ң ө ұ ү һ і). Title, agency, window, counts, summary, then the
    table of every top-level comment, its heading repeated on each page."""
    from fpdf.fonts import FontFace

    counts = counts or report_counts(draft)
    report = draft.report
    pdf = _pdf_class()(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Discussion report: %(title)s") % {"title": draft.title})
    pdf.set_author(draft.agency.name)
    pdf.set_creator("Ashyq")
    pdf.set_lang(_pdf_lang())
    pdf.footer_text = _("Discussion report on draft %(number)s") % {"number": draft.pk}
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    width = pdf.epw

    if preview:
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_fill_color(255, 236, 179)
        pdf.multi_cell(
            width,
            7,
            _("Draft of the report: not published yet"),
            border=1,
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)

    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(width, 7, _("Discussion report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(width, 6, draft.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=9)
    facts = [
        (_("Type"), draft.type.name),
        (_("Drafting agency"), draft.agency.name),
        (
            _("Discussion"),
            f"{_date(draft.opens_at)} – {_date(draft.effective_closes_at)}",
        ),
    ]
    if draft.extended_closes_at:
        facts.append((_("Extended"), draft.extension_reason))
    if report.published_at:
        who = report.published_by.public_name if report.published_by else ""
        facts.append((_("Published"), f"{_date(report.published_at)}, {who} ({draft.agency.name})"))
    facts += [
        (_("Comments"), str(counts.comments)),
        (_("Participants"), str(counts.participants)),
        (
            _("Dispositions"),
            "; ".join(f"{label}: {count}" for _value, label, count in counts.disposition_items())
            + "; "
            + _("without a disposition: %(count)s") % {"count": counts.unanswered}
            + "; "
            + _("hidden or withdrawn: %(count)s") % {"count": counts.not_required},
        ),
        (
            _("Votes"),
            _("for: %(for)s, against: %(against)s")
            % {"for": counts.votes_for, "against": counts.votes_against},
        ),
    ]
    for label, value in facts:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(45, 5, label)
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(width - 45, 5, value, new_x="LMARGIN", new_y="NEXT")
    if report.summary:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 6, _("Summary"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(width, 5, report.summary, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("DejaVu", size=7.5)
    heading = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(
        col_widths=(9, 22, 20, 16, 45, 70),
        headings_style=heading,
        line_height=3.8,
        text_align="LEFT",
        repeat_headings=1,
        padding=1,
    ) as table:
        table.row(
            [_("No."), _("Paragraph"), _("Author"), _("Disposition"), _("Reason"), _("Comment")]
        )
        for row in iter_report_rows(draft):
            table.row(
                [
                    str(row.comment_id),
                    _paragraph_cell(row),
                    row.author,
                    row.disposition_label or _("no disposition"),
                    row.reason,
                    row.text if row.is_visible else row.state_label,
                ]
            )
    return bytes(pdf.output())


def _pdf_lang() -> str:
    from ashyq.i18n import active_language

    return active_language()


def pdf_cache_name(draft: Draft) -> str:
    """The stored PDF's name: it changes whenever what the PDF shows can change after the
    report's publication (a comment hidden, restored, withdrawn or edited), and per
    language. One aggregate query."""
    from django.db.models import Count, Max, Q

    from dialogue.models import CommentState

    from .services import top_level_comments

    stamp = top_level_comments(draft).aggregate(
        visible=Count("pk", filter=Q(state=CommentState.VISIBLE)),
        total=Count("pk"),
        hidden=Max("hidden_at"),
        withdrawn=Max("withdrawn_at"),
        edited=Max("edited_at"),
    )
    published = draft.report.published_at
    key = "|".join(
        str(part) for part in (published.timestamp(), _pdf_lang(), *sorted(stamp.items()))
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"legal_drafts/reports/draft-{draft.pk}-{digest}.pdf"


def published_pdf(draft: Draft) -> bytes:
    """The published report's PDF, built once per state and kept in private storage:
    building takes seconds for thousands of comments, so readers share one build."""
    storage = private_storage()
    name = pdf_cache_name(draft)
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    content = build_pdf(draft)
    storage.save(name, ContentFile(content))
    return content


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    draft, preview = report_draft(request, pk)
    # fpdf2 logs each font subset at INFO; nothing a reader of the logs needs.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    content = build_pdf(draft, preview=True) if preview else published_pdf(draft)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="draft-{draft.pk}-report.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response
