"""Kazakhstan's regions (oblystar) and the cities of republican status, as of the 2022 reform."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    ASTANA = "astana", _("Astana")
    ALMATY_CITY = "almaty-city", _("Almaty")
    SHYMKENT = "shymkent", _("Shymkent")
    ABAI = "abai", _("Abai Region")
    AKMOLA = "akmola", _("Akmola Region")
    AKTOBE = "aktobe", _("Aktobe Region")
    ALMATY = "almaty", _("Almaty Region")
    ATYRAU = "atyrau", _("Atyrau Region")
    EAST_KAZAKHSTAN = "east-kazakhstan", _("East Kazakhstan Region")
    JAMBYL = "jambyl", _("Jambyl Region")
    JETISU = "jetisu", _("Jetisu Region")
    KARAGANDA = "karaganda", _("Karaganda Region")
    KOSTANAY = "kostanay", _("Kostanay Region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda Region")
    MANGYSTAU = "mangystau", _("Mangystau Region")
    NORTH_KAZAKHSTAN = "north-kazakhstan", _("North Kazakhstan Region")
    PAVLODAR = "pavlodar", _("Pavlodar Region")
    TURKISTAN = "turkistan", _("Turkistan Region")
    ULYTAU = "ulytau", _("Ulytau Region")
    WEST_KAZAKHSTAN = "west-kazakhstan", _("West Kazakhstan Region")


CITIES_OF_REPUBLICAN_STATUS = frozenset({Region.ASTANA, Region.ALMATY_CITY, Region.SHYMKENT})
