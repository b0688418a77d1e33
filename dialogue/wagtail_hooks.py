from wagtail import hooks

from . import commentable


@hooks.register("before_serve_page")
def declare_comment_live_group(page, request, serve_args, serve_kwargs):
    """A commentable page listens for its new comments (dialogue/static/dialogue/comments.js)."""
    if commentable.is_commentable(page):
        from .selectors import target_live_group

        groups = list(getattr(request, "live_groups", ()))
        groups.append(target_live_group(page))
        request.live_groups = groups
