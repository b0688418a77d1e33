from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision

from accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from accounts.models import (
    Agency,
    AuditEvent,
    Membership,
    Organisation,
    OrganisationMembership,
    User,
)
from accounts.roles import PLATFORM_EDITORS, PLATFORM_MODERATORS
from cms.models import AnnouncementIndexPage, AnnouncementPage, FooterText, HomePage, StandardPage
from dialogue.models import Comment
from moderation.models import Flag

LANGUAGES = ("kk", "ru", "en")


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_users():
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def snapshot() -> dict[str, int]:
    models = (
        User,
        EmailAddress,
        Agency,
        Membership,
        Organisation,
        OrganisationMembership,
        AuditEvent,
        Page,
        Revision,
        FooterText,
        Comment,
        Flag,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded() -> str:
    return seed_demo()


@pytest.mark.django_db
def test_second_run_creates_nothing():
    seed_demo()
    first = snapshot()

    output = seed_demo()

    assert snapshot() == first
    assert "agencies: 14 (0 new)" in output
    assert "pages: 0 new" in output


@pytest.mark.django_db
def test_a_demo_discussion_with_an_official_answer_and_a_report(seeded):
    from django.contrib.contenttypes.models import ContentType

    from cms.models import AnnouncementPage

    comments = Comment.objects.filter(
        target_type=ContentType.objects.get_for_model(AnnouncementPage)
    )
    assert comments.count() == 4
    official = comments.get(is_official=True)
    assert official.agency.slug == "ministry-of-justice"
    assert official.reply_to is not None
    flag = Flag.objects.get()
    assert flag.resolved_at is None
    assert flag.reporter.email.startswith("gulmira@")


def government_bodies():
    """The demo's agencies, without the platform operator (it owes petition moderation)."""
    from django.conf import settings

    return Agency.objects.exclude(slug=settings.PETITIONS_OPERATOR_AGENCY)


@pytest.mark.django_db
def test_agencies_have_all_three_names(seeded):
    agencies = list(government_bodies())

    assert len(agencies) >= 12
    for agency in agencies:
        assert agency.name_kk and agency.name_ru and agency.name_en, agency.slug
        assert agency.address_kk and agency.phone and agency.website.startswith("https://")
        if agency.kind == Agency.Kind.LOCAL:
            assert agency.region, agency.slug
    assert Agency.objects.get(slug="state-revenue-committee").parent.slug == "ministry-of-finance"
    assert Agency.objects.filter(kind=Agency.Kind.LOCAL).count() >= 4


@pytest.mark.django_db
def test_every_agency_has_a_head_and_some_have_staff(seeded):
    assert not government_bodies().exclude(memberships__role=Membership.Role.HEAD).exists()
    for role in (Membership.Role.RESPONDER, Membership.Role.DRAFTER, Membership.Role.MODERATOR):
        assert Membership.objects.filter(role=role).exists(), role
    head = Membership.objects.get(agency__slug="akimat-almaty", role=Membership.Role.HEAD)
    assert (head.position_kk, head.position_ru, head.position_en) == (
        "Алматы қаласының әкімі",
        "Аким города Алматы",
        "Akim of Almaty",
    )


@pytest.mark.django_db
def test_every_demo_user_can_sign_in_at_once(seeded, client):
    users = list(demo_users())

    assert len(users) > 20
    for user in users:
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists(), user.email
        assert user.check_password(DEMO_PASSWORD), user.email

    response = client.post(
        "/en/accounts/login/",
        {"login": f"yerassyl@{DEMO_EMAIL_DOMAIN}", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"


@pytest.mark.django_db
def test_platform_roles_and_organisations(seeded, client):
    editor = User.objects.get(email=f"editor@{DEMO_EMAIL_DOMAIN}")
    moderator = User.objects.get(email=f"moderator@{DEMO_EMAIL_DOMAIN}")
    admin = User.objects.get(email=f"admin@{DEMO_EMAIL_DOMAIN}")

    assert editor.is_staff and editor.groups.filter(name=PLATFORM_EDITORS).exists()
    assert moderator.groups.filter(name=PLATFORM_MODERATORS).exists()
    assert admin.is_superuser and admin.is_staff
    assert Group.objects.get(name=PLATFORM_EDITORS).user_set.count() == 1

    ngo = Organisation.objects.get(kind=Organisation.Kind.NGO)
    assert ngo.is_verified and ngo.verified_by == editor
    assert ngo.members.filter(email=f"ngo@{DEMO_EMAIL_DOMAIN}").exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.MEDIA).exists()
    assert demo_users().exclude(identity_verified_at=None).exists()

    client.force_login(editor)
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_pages_exist_and_are_live_in_every_language(seeded, client):
    for model in (HomePage, AnnouncementIndexPage, StandardPage):
        pages = model.objects.live().filter(locale__language_code__in=LANGUAGES)
        assert {page.locale.language_code for page in pages} == set(LANGUAGES), model
        assert len({page.translation_key for page in pages}) == 1, model
    assert AnnouncementIndexPage.objects.filter(show_in_menus=True, slug="announcements").count()

    home = HomePage.objects.get(locale__language_code="ru")
    assert home.title == "Ashyq — платформа открытого диалога"
    assert home.intro
    assert HomePage.objects.get(locale__language_code="kk").intro

    response = client.get("/en/about/")
    assert response.status_code == 200
    assert "<h1>About</h1>" in response.content.decode()
    assert FooterText.objects.filter(locale__language_code__in=LANGUAGES).count() == 3


@pytest.mark.django_db
def test_each_language_has_the_same_announcements(seeded, client):
    keys = {}
    for lang in LANGUAGES:
        announcements = AnnouncementPage.objects.live().filter(locale__language_code=lang)
        assert announcements.count() == 5, lang
        keys[lang] = {page.translation_key for page in announcements}
    assert keys["kk"] == keys["ru"] == keys["en"]

    response = client.get("/ru/announcements/")
    assert response.status_code == 200
    assert "Интернет-конференция о первичной медико-санитарной помощи" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_output_lists_the_logins(seeded):
    assert "Demo logins" in seeded
    assert DEMO_PASSWORD in seeded
    for email in demo_users().values_list("email", flat=True):
        assert email in seeded
