"""Replace Wagtail's placeholder welcome page with the site's HomePage in the default
language, so a freshly migrated site already serves a real front page."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(id=2, slug="home").delete()  # Wagtail's "Welcome" placeholder
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Ashyq",
        draft_title="Ashyq",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="",
        body=[],
        live=True,
    )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="Ashyq")


def remove_home_page(apps, schema_editor):
    # Reversing leaves an empty tree; Wagtail's own migrations recreate nothing here.
    apps.get_model("wagtailcore.Site").objects.filter(root_page__slug="home").delete()
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
