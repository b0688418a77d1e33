"""Building and sending notification emails, in the language each notification was
written in. Every email carries an unsubscribe link (to a confirmation page with a POST
button, since mail scanners follow links) and RFC 8058 one-click headers."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import registry
from .models import Notification, Preference
from .registry import ALL_KINDS, IMMEDIATE, OFF
from .tokens import make_token

logger = logging.getLogger(__name__)


def site_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost"


def absolute(url: str) -> str:
    return urljoin(site_url().rstrip("/") + "/", url) if url else site_url()


def unsubscribe_links(*, user_id: int, kind: str, language: str) -> tuple[str, str]:
    """(page with a confirmation button, one-click POST endpoint) for the headers."""
    token = make_token(user_id=user_id, kind=kind)
    with translation.override(language):
        page = reverse("notifications:unsubscribe", kwargs={"token": token})
        one_click = reverse("notifications:unsubscribe_one_click", kwargs={"token": token})
    return absolute(page), absolute(one_click)


def _message(
    *,
    to: str,
    subject: str,
    context: dict,
    template: str,
    language: str,
    user_id: int,
    kind: str,
    connection,
) -> EmailMultiAlternatives:
    page, one_click = unsubscribe_links(user_id=user_id, kind=kind, language=language)
    context = {
        **context,
        "unsubscribe_url": page,
        "preferences_url": absolute(_reverse_in("notifications:preferences", language)),
        "site_url": site_url(),
        "unsubscribe_all": kind == ALL_KINDS,
    }
    with translation.override(language):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(
        subject=f"{prefix}{subject}".replace("\n", " ")[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def _reverse_in(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def send_immediate(*, notification_ids: list[int]) -> int:
    switched_off = Preference.objects.filter(
        user=OuterRef("recipient"), kind__in=[OuterRef("kind"), ALL_KINDS], channel=OFF
    )
    items = list(
        Notification.objects.filter(
            pk__in=notification_ids,
            channel=IMMEDIATE,
            emailed_at__isnull=True,
            recipient__is_active=True,
            recipient__deleted_at__isnull=True,
        )
        .exclude(Exists(switched_off))
        .select_related("recipient")
        .order_by("pk")
    )
    if not items:
        return 0
    connection = get_connection()
    sent_ids = []
    for item in items:
        message = _message(
            to=item.recipient.email,
            subject=item.title,
            context={
                "notification": item,
                "url": absolute(item.url),
                "kind_label": registry.label_of(item.kind),
            },
            template="immediate",
            language=item.language,
            user_id=item.recipient_id,
            kind=item.kind,
            connection=connection,
        )
        try:
            message.send()
        except Exception:  # one bad address or a hiccup must not stop the others
            logger.exception("Notification email %s could not be sent", item.pk)
            continue
        sent_ids.append(item.pk)
    Notification.objects.filter(pk__in=sent_ids).update(emailed_at=timezone.now())
    return len(sent_ids)


def send_digest(*, recipient, grouped: dict[str, list[Notification]]) -> bool:
    """One email listing `grouped` notifications (kind → items). True when sent."""
    if not recipient.is_active or recipient.deleted_at is not None:
        return False
    latest = max((n for items in grouped.values() for n in items), key=lambda n: n.created_at)
    language = latest.language
    with translation.override(language):
        groups = [
            {
                "kind": kind,
                "label": str(registry.label_of(kind)),
                "items": [{"notification": n, "url": absolute(n.url)} for n in items],
                "unsubscribe_url": unsubscribe_links(
                    user_id=recipient.pk, kind=kind, language=language
                )[0],
            }
            for kind, items in grouped.items()
        ]
        total = sum(len(group["items"]) for group in groups)
        subject = translation.ngettext(
            "Your daily digest: %(count)d notification",
            "Your daily digest: %(count)d notifications",
            total,
        ) % {"count": total}
    message = _message(
        to=recipient.email,
        subject=subject,
        context={"groups": groups, "total": total, "recipient": recipient},
        template="digest",
        language=language,
        user_id=recipient.pk,
        kind=ALL_KINDS,
        connection=None,
    )
    try:
        message.send()
    except Exception:
        logger.exception("Digest for user %s could not be sent", recipient.pk)
        return False
    return True
