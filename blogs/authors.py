"""Who may write a blog's posts in the Wagtail admin: the official, and the staff they
authorise.

Officials are not superusers, nor platform editors (those may edit every page). Each blog
gets its own Wagtail group, "Blog authors: <title> (#<pk>)", holding exactly what writing
the blog needs:

- `wagtailadmin.access_admin`, to sign in to /cms/;
- add, change and publish on the blog page in every language (Wagtail keeps one page per
  locale, sharing `translation_key`; a page permission covers a page and its subtree, so
  each copy needs its own), which lets the group write, edit and publish posts under the
  blog and edit the blog page itself (biography, photo), and nothing else in the tree;
- add and choose images in the root collection, for the photo and pictures in posts.

The blog's `owner_user` (of the original page, the one its questions point at) is kept in
the group. *Staff they authorise* are simply added to the same group on the admin's
Users or Groups screen (Settings → Groups → "Blog authors: …"); nothing here removes
them. When the official changes, the hooks pass the former one as `former_owner`, who
leaves the group: an ex-minister keeps no write access to the ministry's blog.

The group's name is data, not interface text, so it is not translated: the name (its
"(#<pk>)" suffix) is how the sync finds the group again, and the title part follows the
blog's title. Called from the page hooks in `wagtail_hooks.py` and from `demo.py`;
idempotent, so calling it on every save is cheap and safe.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from accounts.models import User

from .models import BlogPage

GROUP_PREFIX = "Blog authors: "
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
IMAGE_PERMISSIONS = ("add_image", "choose_image")
GROUP_NAME_MAX = Group._meta.get_field("name").max_length
TRANSLATION_RECEIVER_UID = "blogs.authors.translation"


def group_name(blog: BlogPage) -> str:
    """ "Blog authors: <title> (#<pk>)", the title shortened to fit the column."""
    suffix = f" (#{blog.pk})"
    room = GROUP_NAME_MAX - len(GROUP_PREFIX) - len(suffix)
    title = blog.title if len(blog.title) <= room else blog.title[: room - 1].rstrip() + "…"
    return f"{GROUP_PREFIX}{title}{suffix}"


def authors_group(blog: BlogPage) -> Group | None:
    """The blog's authors group, if it exists (found by its "(#<pk>)" suffix)."""
    canonical = _canonical(blog)
    return (
        Group.objects.filter(name__startswith=GROUP_PREFIX, name__endswith=f" (#{canonical.pk})")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def blog_authors_sync(*, blog: BlogPage, former_owner: User | None = None) -> Group:
    """Make sure the blog's authors group exists with its permissions on every language
    copy of the blog, and that the blog's official is in it (and `former_owner`, if the
    official changed, is not)."""
    canonical = _canonical(blog)
    name = group_name(canonical)
    group = authors_group(canonical)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name:  # the blog was renamed
        group.name = name
        group.save(update_fields=["name"])

    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    if not group.permissions.filter(pk=admin_access.pk).exists():
        group.permissions.add(admin_access)

    page_permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ).values_list("pk", flat=True)
    )
    page_ids = BlogPage.objects.filter(translation_key=canonical.translation_key).values_list(
        "pk", flat=True
    )
    have = set(
        GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id in page_ids
        for permission_id in page_permissions
        if (page_id, permission_id) not in have
    )

    collection = Collection.get_first_root_node()
    if collection is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailimages", codename__in=IMAGE_PERMISSIONS
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )

    owner_id = BlogPage.objects.filter(pk=canonical.pk).values_list("owner_user", flat=True)[0]
    members = group.user_set
    if not members.filter(pk=owner_id).exists():
        members.add(owner_id)
    if former_owner is not None and former_owner.pk != owner_id:
        members.remove(former_owner)
    return group


def _canonical(blog: BlogPage) -> BlogPage:
    """The original page of the blog's translation group (read fresh: the instance given
    may be a form's unsaved copy)."""
    return (
        BlogPage.objects.filter(translation_key=blog.translation_key).order_by("pk").first() or blog
    )


def sync_authors_on_translation(sender, source_obj, target_obj, **kwargs) -> None:
    """`copy_for_translation_done` receiver: a new language copy of a blog gets the
    authors' permissions at once, however it was made (the admin's "Translate" action,
    a script)."""
    if isinstance(target_obj, BlogPage):
        blog_authors_sync(blog=target_obj)
