"""A tiny iCalendar (RFC 5545) writer for the closing dates of draft acts: one VEVENT per
draft, DTSTART at the effective close (UTC), a UID that stays the same for the draft,
text escaped (backslash, semicolon, comma, newline) and lines folded at 75 octets without
splitting a UTF-8 character. No dependency."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Draft

CRLF = "\r\n"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Content lines longer than 75 octets are split, each continuation starting with one
    space (RFC 5545 3.1); a multi-octet character is never cut."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    parts.append(current)
    return (CRLF + " ").join(parts)


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(drafts: list[Draft], *, base_url: str, host: str) -> str:
    stamp = utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ashyq//Open legal acts//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape_text(_("Public discussions of draft acts: closing dates")),
    ]

    for draft in drafts:
        url = base_url + reverse("legal_drafts:detail", kwargs={"pk": draft.pk})
        close = draft.effective_closes_at
        lines += [
            "BEGIN:VEVENT",
            f"UID:legal-draft-{draft.pk}-closes@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc_stamp(close)}",
            f"DTEND:{utc_stamp(close)}",
            "SUMMARY:" + escape_text(_("Discussion closes: %(title)s") % {"title": draft.title}),
            "DESCRIPTION:" + escape_text(f"{draft.agency.name}\n{url}"),
            "URL:" + url,
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


def calendar_response(request: HttpRequest, drafts: list[Draft]) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    host = request.get_host().split(":")[0] or "ashyq"
    response = HttpResponse(
        calendar_text(drafts, base_url=base_url, host=host).encode("utf-8"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="drafts-closing.ics"'
    return response
