"""Background work of the accounts app. Email leaves the request through a task so a slow
mail server never holds a page; the immediate backend runs it in-line by default."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *, subject: str, body: str, to: list[str], html: str = "", from_email: str = ""
) -> int:
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
