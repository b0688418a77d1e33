from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.mail import EmailMessage, EmailMultiAlternatives

from . import services
from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render as allauth does, then hand the sending to a background task."""
        message = self.render_mail(template_prefix, email, context)
        html = ""
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            html = message.alternatives[0][0]
        elif isinstance(message, EmailMessage) and message.content_subtype == "html":
            html, message.body = message.body, ""
        send_email.enqueue(
            subject=message.subject,
            body=message.body,
            html=html,
            to=list(message.to),
            from_email=message.from_email,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Whoever comes through the national-ID provider is identity-verified."""

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if sociallogin.account.provider in self._identity_providers():
            services.user_mark_identity_verified(user=user, provider=sociallogin.account.provider)
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing and sociallogin.account.provider in self._identity_providers():
            services.user_mark_identity_verified(
                user=sociallogin.user, provider=sociallogin.account.provider
            )

    @staticmethod
    def _identity_providers() -> set[str]:
        from django.conf import settings

        apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
        return {app["provider_id"] for app in apps}
