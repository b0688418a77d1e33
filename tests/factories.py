"""Test data builders. Pages are made with the `make_*` helpers at the bottom: Wagtail pages
need a parent in the tree and a published revision, which reads clearer as a function."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page

from accounts.models import Agency, Membership, Organisation, OrganisationMembership, User
from accounts.regions import Region
from accounts.roles import PLATFORM_EDITORS, PLATFORM_MODERATORS

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    """A user who can sign in with `PASSWORD`.

    A verified primary EmailAddress is created too, unless `verified_email=False` (then an
    unverified one) or `email_address=False` (none at all).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        identity_verified = factory.Trait(identity_verified_at=factory.LazyFunction(timezone.now))

    email = factory.Sequence(lambda n: f"person{n}@example.kz")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    first_name = "Aigerim"
    last_name = "Nurlanova"
    region = Region.ASTANA
    password = factory.django.Password(PASSWORD)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("verified_email", None)
        kwargs.pop("email_address", None)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        verified_email = kwargs.pop("verified_email", True)
        email_address = kwargs.pop("email_address", True)
        user = super()._create(model_class, *args, **kwargs)
        if email_address:
            EmailAddress.objects.create(
                user=user, email=user.email, verified=verified_email, primary=True
            )
        return user


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name_kk = factory.Sequence(lambda n: f"Агенттік {n:03d}")
    name_ru = factory.Sequence(lambda n: f"Агентство {n:03d}")
    name_en = factory.Sequence(lambda n: f"Agency {n:03d}")
    kind = Agency.Kind.CENTRAL
    region = ""
    phone = "+7 7172 00 00 00"
    email = factory.Sequence(lambda n: f"office{n}@gov.kz")
    website = "https://www.gov.kz/"
    address_kk = "Астана, Мәңгілік Ел, 8"
    address_ru = "Астана, Мангилик Ел, 8"
    address_en = "8 Mangilik El, Astana"

    class Params:
        local = factory.Trait(kind=Agency.Kind.LOCAL, region=Region.KARAGANDA)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.factories.UserFactory")
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.RESPONDER
    position_kk = "Басшы"
    position_ru = "Руководитель"
    position_en = "Head of office"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Civic Watch {n}")
    kind = Organisation.Kind.NGO
    website = "https://civic.example.kz/"

    class Params:
        verified = factory.Trait(verified_at=factory.LazyFunction(timezone.now))


class OrganisationMembershipFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory("tests.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    is_admin = False


def add_to_group(user: User, name: str) -> User:
    group, _ = Group.objects.get_or_create(name=name)
    user.groups.add(group)
    return user


def platform_editor(**kwargs) -> User:
    return add_to_group(UserFactory(**kwargs), PLATFORM_EDITORS)


def platform_moderator(**kwargs) -> User:
    return add_to_group(UserFactory(**kwargs), PLATFORM_MODERATORS)


# --- Wagtail pages ---------------------------------------------------------------------


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page(language: str = "kk"):
    """The HomePage of `language`: the migrated kk one, or its translation (made on demand)."""
    from cms.models import HomePage

    kk_home = HomePage.objects.get(locale__language_code="kk")
    if language == "kk":
        return kk_home
    locale = Locale.objects.get(language_code=language)
    existing = kk_home.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    return translate(kk_home, language)


def translate(page: Page, language: str, **fields) -> Page:
    """`copy_for_translation` into `language`, set `fields`, publish."""
    locale = Locale.objects.get(language_code=language)
    copy = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return publish(copy)


def make_standard_page(parent: Page, *, title: str, show_in_menus: bool = False, **fields):
    from cms.models import StandardPage

    page = StandardPage(title=title, show_in_menus=show_in_menus, **fields)
    parent.add_child(instance=page)
    return publish(page)


def make_announcement_index(parent: Page | None = None, *, title: str = "News", **fields):
    from cms.models import AnnouncementIndexPage

    parent = parent or home_page("kk")
    page = AnnouncementIndexPage(title=title, slug=fields.pop("slug", "news"), **fields)
    parent.add_child(instance=page)
    return publish(page)


def make_announcement(
    index: Page,
    *,
    title: str,
    date: datetime.date | None = None,
    summary: str = "",
    live: bool = True,
    agency: Agency | None = None,
    body=None,
):
    from cms.models import AnnouncementPage

    page = AnnouncementPage(
        title=title,
        date=date or datetime.date(2025, 3, 1),
        summary=summary or f"Summary of {title}",
        body=body if body is not None else [("paragraph", f"<p>Body of {title}</p>")],
        agency=agency,
    )
    index.add_child(instance=page)
    if live:
        return publish(page)
    page.live = False
    page.save_revision()
    page.save(update_fields=["live"])
    return page
