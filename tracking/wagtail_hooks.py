"""The working-day calendar's exceptions in the Wagtail admin, kept by platform editors."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("Working-day calendar")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    search_fields = ["reason_kk", "reason_ru", "reason_en"]
    form_fields = ["date", "kind", "reason_kk", "reason_ru", "reason_en"]


@hooks.register("register_admin_viewset")
def register_calendar() -> CalendarDayViewSet:
    return CalendarDayViewSet("calendar_days")
