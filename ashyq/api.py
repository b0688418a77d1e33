"""Shared pieces of the open data API."""

import datetime

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def public_endpoints_only(endpoints: list[tuple]) -> list[tuple]:
    """drf-spectacular hook: document the open data API only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def date_param(params, name: str) -> datetime.date | None:
    """A `YYYY-MM-DD` query parameter, or None when absent; a 400 naming it when malformed."""
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({name: f"Not a date: {value!r}. Use YYYY-MM-DD."}) from exc
