"""The agency directory and organisations in the Wagtail admin, for platform editors."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Agency, Membership, Organisation


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
    form_fields = ["user", "agency", "role", "position_kk", "position_ru", "position_en"]


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
