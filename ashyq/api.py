"""Shared pieces of the open data API."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def public_endpoints_only(endpoints: list[tuple]) -> list[tuple]:
    """drf-spectacular hook: document the open data API only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
