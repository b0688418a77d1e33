"""Platform-wide groups and their permissions.

Kept as an idempotent function run after every `migrate` (Django creates permissions in
`post_migrate`, so a data migration could not see them on a fresh database).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
)

from accounts.roles import PLATFORM_EDITORS, PLATFORM_MODERATORS

EDITOR_MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "accounts": [
        "add_agency",
        "change_agency",
        "view_agency",
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_membership",
        "add_organisation",
        "change_organisation",
        "view_organisation",
    ],
    "cms": ["add_footertext", "change_footertext", "view_footertext", "change_sitesettings"],
    # The read-only list of blog questions in the Wagtail admin.
    "blogs": ["view_question"],
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MODERATOR_MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "accounts": ["view_organisation", "view_auditevent"],
}


def ensure_locales() -> None:
    """One Wagtail locale per interface language, so editors can translate every page."""
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


@transaction.atomic
def ensure_platform_groups() -> None:
    editors, _ = Group.objects.get_or_create(name=PLATFORM_EDITORS)
    moderators, _ = Group.objects.get_or_create(name=PLATFORM_MODERATORS)
    editors.permissions.add(*_permissions(EDITOR_MODEL_PERMISSIONS))
    moderators.permissions.add(*_permissions(MODERATOR_MODEL_PERMISSIONS))

    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=editors, page=root, permission=permission
                )
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codenames in (
            ("wagtailimages", ["add_image", "change_image", "choose_image"]),
            ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
        ):
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=editors, collection=collection, permission=permission
                )


def _permissions(spec: dict[str, list[str]]) -> list[Permission]:
    found = []
    for app_label, codenames in spec.items():
        found.extend(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return found
