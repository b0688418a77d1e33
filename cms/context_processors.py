"""What every page's frame needs: the home page of the active language, the main
navigation (pages marked "show in menus" under it) and the footer text."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Site

from ashyq.i18n import active_language


def _home(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    return root.localized.specific


def _menu(request):
    home = _home(request)
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu().specific())


def _footer():
    from .models import FooterText

    try:
        locale = Locale.objects.get(language_code=active_language())
    except Locale.DoesNotExist:
        return None
    return FooterText.objects.filter(locale=locale).first()


def site_chrome(request):
    return {
        "home_page": SimpleLazyObject(lambda: _home(request)),
        "main_menu": SimpleLazyObject(lambda: _menu(request)),
        "footer_text": SimpleLazyObject(_footer),
    }
