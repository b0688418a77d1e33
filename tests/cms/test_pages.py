"""Wagtail pages: home per language, announcements, the main menu and the footer."""

from __future__ import annotations

import datetime
import re

import pytest
from wagtail.models import Locale

from cms.models import ANNOUNCEMENTS_PER_PAGE, FooterText, HomePage
from tests.factories import (
    AgencyFactory,
    home_page,
    make_announcement,
    make_announcement_index,
    make_standard_page,
    translate,
)

pytestmark = pytest.mark.django_db


def nav_html(html: str) -> str:
    match = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert match, "no main navigation"
    return match.group(0)


# --- Home page ---------------------------------------------------------------------------


def test_the_migrated_kazakh_home_page_renders_at_kk(client):
    response = client.get("/kk/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert '<h1 id="page-title">Ashyq</h1>' in html
    assert isinstance(response.context["page"], HomePage)
    assert response.context["page"].locale.language_code == "kk"


@pytest.mark.parametrize(
    ("lang", "title"), [("ru", "Ашық — открытый диалог"), ("en", "Ashyq — open dialogue")]
)
def test_translated_home_pages_render_under_their_prefix(client, lang, title):
    kk = home_page("kk")
    translated = translate(kk, lang, title=title, intro=f"intro in {lang}")

    response = client.get(f"/{lang}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'<h1 id="page-title">{title}</h1>' in html
    assert f"intro in {lang}" in html
    assert response.context["page"].pk == translated.pk
    assert translated.translation_key == kk.translation_key
    # The Kazakh home is untouched.
    assert '<h1 id="page-title">Ashyq</h1>' in client.get("/kk/").content.decode()


def test_language_switcher_on_a_page_points_at_its_translation(client):
    kk = home_page("kk")
    news = make_announcement_index(kk, title="Жаңалықтар", slug="zhanalyqtar")
    translate(home_page("kk"), "ru", title="Главная")
    translate(news, "ru", title="Новости", slug="novosti")

    html = client.get("/kk/zhanalyqtar/").content.decode()

    assert 'value="/ru/novosti/"' in html


def test_home_page_lists_the_latest_three_announcements_of_its_language(client):
    kk_news = make_announcement_index(home_page("kk"))
    ru_news = make_announcement_index(home_page("ru"), title="Новости")
    for day in range(1, 5):
        make_announcement(kk_news, title=f"KK {day}", date=datetime.date(2025, 5, day))
    make_announcement(ru_news, title="RU only", date=datetime.date(2025, 6, 1))

    html = client.get("/kk/").content.decode()

    assert "KK 4" in html and "KK 3" in html and "KK 2" in html
    assert "KK 1" not in html
    assert "RU only" not in html
    assert html.index("KK 4") < html.index("KK 3") < html.index("KK 2")


def test_unknown_page_is_404(client):
    assert client.get("/kk/no-such-page/").status_code == 404


# --- Announcements -------------------------------------------------------------------------


@pytest.fixture
def news():
    return make_announcement_index(home_page("kk"), title="Хабарландырулар", intro="Ресми")


def test_announcement_index_lists_live_announcements_newest_first(client, news):
    make_announcement(news, title="Older", date=datetime.date(2025, 1, 5))
    make_announcement(news, title="Newer", date=datetime.date(2025, 3, 5))
    make_announcement(news, title="Not yet published", live=False)

    response = client.get(news.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Хабарландырулар</h1>" in html
    assert html.index("Newer") < html.index("Older")
    assert "Not yet published" not in html
    assert f'href="{news.url}feed/"' in html
    assert 'type="application/atom+xml"' in html


def test_announcement_index_paginates(client, news):
    total = ANNOUNCEMENTS_PER_PAGE + 3
    for n in range(total):
        make_announcement(news, title=f"Item {n:02d}", date=datetime.date(2025, 1, 1 + n))

    first = client.get(news.url)
    second = client.get(news.url, {"page": 2})

    assert [p.title for p in first.context["page_obj"].object_list][:2] == ["Item 12", "Item 11"]
    assert len(first.context["page_obj"].object_list) == ANNOUNCEMENTS_PER_PAGE
    assert [p.title for p in second.context["page_obj"].object_list] == [
        "Item 02",
        "Item 01",
        "Item 00",
    ]
    assert 'href="?page=2"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()
    # Past the end: the last page, not an error.
    assert client.get(news.url, {"page": 99}).context["page_obj"].number == 2


def test_announcement_detail(client, news):
    agency = AgencyFactory(slug="akimat", name_kk="Қарағанды облысының әкімдігі")
    page = make_announcement(
        news,
        title="Қабылдау кестесі",
        date=datetime.date(2025, 4, 2),
        summary="Әкімнің қабылдау кестесі өзгерді",
        agency=agency,
        body=[("heading", "Кесте"), ("paragraph", "<p>Дүйсенбі, 10:00</p>")],
    )

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Қабылдау кестесі</h1>" in html
    assert "Әкімнің қабылдау кестесі өзгерді" in html
    assert "Дүйсенбі, 10:00" in html
    assert 'datetime="2025-04-02"' in html
    assert 'href="/kk/agencies/akimat/"' in html
    assert "Қарағанды облысының әкімдігі" in html
    assert f'href="{news.url}"' in html  # breadcrumb back to the index


def test_unpublished_announcement_is_404(client, news):
    page = make_announcement(news, title="Secret", live=False)

    assert client.get(f"{news.url}{page.slug}/").status_code == 404


def test_translated_announcement_renders_in_russian(client, news):
    page = make_announcement(news, title="Жиналыс", summary="Қазақша")
    translate(home_page("kk"), "ru", title="Главная")
    ru_news = translate(news, "ru", title="Объявления")
    ru_page = translate(page, "ru", title="Собрание", summary="По-русски")

    response = client.get(ru_page.url)

    assert ru_page.url.startswith("/ru/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "<h1>Собрание</h1>" in html
    assert "По-русски" in html
    ru_list = client.get(ru_news.url).content.decode()
    assert "Собрание" in ru_list and "Жиналыс" not in ru_list


# --- Menu and footer -----------------------------------------------------------------------


def test_main_menu_shows_pages_marked_show_in_menus(client):
    home = home_page("kk")
    make_standard_page(home, title="Біз туралы", show_in_menus=True)
    make_standard_page(home, title="Жасырын бет", show_in_menus=False)

    nav = nav_html(client.get("/kk/").content.decode())

    assert "Біз туралы" in nav
    assert "Жасырын бет" not in nav


def test_main_menu_marks_the_current_page(client):
    about = make_standard_page(home_page("kk"), title="About", show_in_menus=True)

    nav = nav_html(client.get(about.url).content.decode())

    assert f'href="{about.url}" aria-current="page"' in nav


def test_main_menu_follows_the_language(client):
    about = make_standard_page(home_page("kk"), title="Біз туралы", show_in_menus=True)
    home_page("ru")
    translate(about, "ru", title="О платформе")

    kk_nav = nav_html(client.get("/kk/").content.decode())
    ru_nav = nav_html(client.get("/ru/").content.decode())

    assert "Біз туралы" in kk_nav and "О платформе" not in kk_nav
    assert "О платформе" in ru_nav and "Біз туралы" not in ru_nav


def test_main_menu_also_appears_on_non_page_views(client):
    make_standard_page(home_page("kk"), title="Біз туралы", show_in_menus=True)

    nav = nav_html(client.get("/kk/agencies/").content.decode())

    assert "Біз туралы" in nav


def test_footer_text_per_locale(client):
    texts = {
        "kk": "<p>Ашық — ашық диалог алаңы</p>",
        "ru": "<p>Ашық — площадка открытого диалога</p>",
        "en": "<p>Ashyq is the open dialogue platform</p>",
    }
    first = None
    for lang, body in texts.items():
        locale = Locale.objects.get(language_code=lang)
        footer = FooterText(locale=locale, body=body)
        if first is not None:
            footer.translation_key = first.translation_key
        footer.save()
        first = first or footer

    for lang, body in texts.items():
        html = client.get(f"/{lang}/agencies/").content.decode()
        footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
        assert body.removeprefix("<p>").removesuffix("</p>") in footer, lang
        for other_lang, other in texts.items():
            if other_lang != lang:
                assert other.removeprefix("<p>").removesuffix("</p>") not in footer


def test_no_footer_text_is_fine(client):
    response = client.get("/en/agencies/")

    assert response.status_code == 200
    assert 'class="footer-text"' not in response.content.decode()
