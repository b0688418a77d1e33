"""What the conversation layer shows of a draft's comments (`commentable.register(
annex_of=...)`): the drafting agency's disposition under the comment it answers."""

from __future__ import annotations

from .models import Disposition


def dispositions_of(comments: list) -> dict[int, Disposition]:
    """The dispositions of these comments, keyed by comment id, with the draft's agency and
    the responder. One query per page of comments."""
    ids = [comment.pk for comment in comments if comment.reply_to_id is None]
    if not ids:
        return {}
    return {
        disposition.comment_id: disposition
        for disposition in Disposition.objects.filter(comment_id__in=ids).select_related(
            "draft__agency", "responder"
        )
    }


def closing_soon(request) -> dict:
    """The home page's "Draft acts closing soon": the three open drafts closing first."""
    from .models import Draft

    return {
        "drafts": list(
            Draft.objects.open()
            .select_related("type", "agency")
            .order_by("effective_closes_at", "pk")[:3]
        )
    }
