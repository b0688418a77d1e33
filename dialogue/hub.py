"""Open Dialogue's hub page, `/<lang>/dialogue/`: a section of each part (threads,
internet conferences, polls), registered by those apps (see `ashyq.sections`):

    from dialogue import hub
    hub.register("polls", template="polls/includes/hub_section.html",
                 context=lambda request: selectors.hub_section(user=request.user))

The conversation layer never imports the apps built on it."""

from ashyq.sections import Sections

_hub = Sections()
register = _hub.register
sections_for = _hub.for_request
