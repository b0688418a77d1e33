"""Project middleware."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

# Mounted outside `i18n_patterns` in ashyq/urls.py: a 404 there is a real 404.
UNPREFIXED_PATHS = ("/api/", "/cms/", "/django-admin/", "/documents/", "/i18n/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except for 404s outside the language-prefixed site.

    Django redirects a 404 on an unprefixed path to `/<lang>/<path>` when that path
    resolves, and Wagtail's catch-all page route makes every path resolve: an API client
    asking for an unknown agency would get a 302 to an HTML page instead of a JSON 404.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)
