from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from ashyq.i18n import active_language

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """One small POST form per language (works without JavaScript). For a Wagtail page the
    target is the page's own translation; otherwise the same URL in the other language."""
    request = context["request"]
    page = context.get("page")
    current = active_language()
    translated_urls = {}
    if page is not None and hasattr(page, "get_translations"):
        # A routable page's sub-page (a blog's `questions/?status=…`) keeps its tail and
        # query string in the other language.
        full_path = request.get_full_path()
        own_url = page.get_url(request=request) or ""
        tail = full_path[len(own_url) :] if own_url and full_path.startswith(own_url) else ""
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            url = translation.get_url(request=request)
            translated_urls[translation.locale.language_code] = f"{url}{tail}" if url else url
    choices = []
    for code, name in settings.LANGUAGES:
        target = translated_urls.get(code) or translate_url(request.get_full_path(), code)
        choices.append(
            {
                "code": code,
                "name": name,
                "name_local": get_language_info(code)["name_local"],
                "next": target,
                "current": code == current,
            }
        )
    return {"choices": choices, "request": request}


@register.simple_tag(takes_context=True)
def querystring_page(context, number: int) -> str:
    """`?<current filters>&page=N` for pagination links."""
    qs = context.get("querystring", "")
    return f"?{qs}&page={number}" if qs else f"?page={number}"
