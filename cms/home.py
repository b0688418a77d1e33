"""Sections modules add to the home page (see `ashyq.sections`):

    from cms import home
    home.register("drafts_closing", template="legal_drafts/home_section.html",
                  context=lambda request: {"drafts": ...})

`cms` never imports a feature app."""

from ashyq.sections import Sections

_home = Sections()
register = _home.register
sections_for = _home.for_request
