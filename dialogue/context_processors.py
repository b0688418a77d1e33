"""`live_groups` for <body data-live-groups>: the groups a view or a Wagtail hook put on
`request.live_groups` (a view's own `live_groups` context variable takes precedence)."""


def live_groups(request) -> dict:
    return {"live_groups": list(getattr(request, "live_groups", ()))}
