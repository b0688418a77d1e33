"""The eight kinds of act put to public discussion, with their minimum discussion length.

Sources and assumptions (to be confirmed against the current texts on adilet.zan.kz):
- Law of the Republic of Kazakhstan "On Legal Acts" (6 April 2016, No. 480-V), art. 18:
  drafts of normative legal acts (and concepts of draft laws) are published for public
  discussion for at least ten calendar days. We apply that floor to every type except:
- Law "On Public Services" (15 April 2013, No. 88-V): draft by-laws that approve
  public-service standards are discussed for at least ten *working* days (PRODUCT.md,
  "Open Legal Acts").
Editors change the minimums in the admin; this migration only seeds them.
"""

from django.db import migrations

TYPES = [
    # code, kk, ru, en, days, working
    ("law-concept", "Заң жобасының тұжырымдамасы", "Концепция проекта закона", "Concept of a draft law", 10, False),
    ("law", "Заң", "Закон", "Law", 10, False),
    ("code", "Кодекс", "Кодекс", "Code", 10, False),
    ("decree", "Жарлық", "Указ", "Decree", 10, False),
    ("resolution", "Қаулы", "Постановление", "Resolution", 10, False),
    ("order", "Бұйрық", "Приказ", "Order", 10, False),
    ("rules", "Қағидалар", "Правила", "Rules", 10, False),
    (
        "public-service-standard",
        "Мемлекеттік көрсетілетін қызмет стандарты",
        "Стандарт государственной услуги",
        "Public-service standard",
        10,
        True,
    ),
]


def seed(apps, schema_editor):
    DraftType = apps.get_model("legal_drafts", "DraftType")
    for order, (code, kk, ru, en, days, working) in enumerate(TYPES, start=1):
        DraftType.objects.update_or_create(
            code=code,
            defaults={
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "min_discussion_days": days,
                "min_days_are_working": working,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    DraftType = apps.get_model("legal_drafts", "DraftType")
    DraftType.objects.filter(code__in=[row[0] for row in TYPES], drafts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("legal_drafts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
