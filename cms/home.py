"""Sections modules add to the home page, in registration order (INSTALLED_APPS order):

    from cms import home
    home.register("drafts_closing", template="legal_drafts/home_section.html",
                  context=lambda request: {"drafts": ...})

`context(request)` runs when the home page is served (keep it to a query or two) and its
dict is given to the template as `section`. `cms` never imports a feature app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable[[Any], dict]


_sections: dict[str, HomeSection] = {}


def register(key: str, *, template: str, context: Callable[[Any], dict]) -> None:
    """Add (or replace) a home page section."""
    _sections[key] = HomeSection(key=key, template=template, context=context)


def sections_for(request) -> list[dict]:
    """Each section's template and data, for the home page's context."""
    return [
        {"key": section.key, "template": section.template, **section.context(request)}
        for section in _sections.values()
    ]
