"""Pages that show a section of each module, without importing the modules: the home page
(`cms.home`) and Open Dialogue's hub (`dialogue.hub`). A module registers in its
AppConfig.ready():

    home.register("drafts_closing", template="legal_drafts/home_section.html",
                  context=lambda request: {"drafts": ...})

`context(request)` runs when the page is served (keep it to a query or two) and its dict
is given to the template as `section`. Sections show in registration order, which is
INSTALLED_APPS order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[[Any], dict]


class Sections:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def register(self, key: str, *, template: str, context: Callable[[Any], dict]) -> None:
        """Add (or replace) a section."""
        self._sections[key] = Section(key=key, template=template, context=context)

    def for_request(self, request) -> list[dict]:
        """Each section's template and data, for the page's context."""
        return [
            {"key": section.key, "template": section.template, **section.context(request)}
            for section in self._sections.values()
        ]
