"""The agency directory and organisations in the Wagtail admin, for platform editors."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Agency, Membership, Organisation, User


class UserChooserViewSet(ChooserViewSet):
    """A searchable chooser for people, used by every admin form with a user field: a plain
    select of every account would not survive a real number of citizens."""

    model = User
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    per_page = 25
    url_prefix = "people-chooser"


user_chooser_viewset = UserChooserViewSet("people_chooser")


@hooks.register("register_admin_viewset")
def register_user_chooser() -> UserChooserViewSet:
    return user_chooser_viewset


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name_kk", "name_ru", "name_en", "slug"]
    form_fields = [
        "slug",
        "name_kk",
        "name_ru",
        "name_en",
        "kind",
        "parent",
        "region",
        "description_kk",
        "description_ru",
        "description_en",
        "address_kk",
        "address_ru",
        "address_en",
        "phone",
        "email",
        "website",
        "is_active",
    ]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Agency staff")
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    panels = [
        FieldPanel("user", widget=user_chooser_viewset.widget_class),
        FieldPanel("agency"),
        FieldPanel("role"),
        FieldPanel("position_kk"),
        FieldPanel("position_ru"),
        FieldPanel("position_en"),
    ]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "is_verified"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    form_fields = ["slug", "name", "kind", "description", "website"]


class DirectoryGroup(ModelViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (AgencyViewSet, MembershipViewSet, OrganisationViewSet)


@hooks.register("register_admin_viewset")
def register_directory() -> DirectoryGroup:
    return DirectoryGroup()
