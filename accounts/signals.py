from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from . import services
from .adapters import SocialAccountAdapter


@receiver(social_account_added)
def _mark_identity_on_connect(sender, request, sociallogin, **kwargs) -> None:
    """Connecting national ID to an existing account verifies the account too."""
    if sociallogin.account.provider in SocialAccountAdapter._identity_providers():
        services.user_mark_identity_verified(
            user=sociallogin.user, provider=sociallogin.account.provider
        )
