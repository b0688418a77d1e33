"""The Atom feed of an announcement index, at `<index url>feed/`."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from tests.factories import home_page, make_announcement, make_announcement_index, translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news():
    return make_announcement_index(home_page("kk"), title="Жаңалықтар", intro="Ресми хабарлар")


def get_feed(client, index):
    response = client.get(f"{index.url}feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_is_valid_atom_with_entries(client, news):
    make_announcement(news, title="Бірінші", summary="Алғашқы", date=datetime.date(2025, 1, 1))
    second = make_announcement(
        news, title="Екінші", summary="Келесі", date=datetime.date(2025, 2, 1)
    )
    make_announcement(news, title="Жоба", live=False)

    feed = get_feed(client, news)

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Жаңалықтар"
    assert feed.findtext(f"{ATOM}subtitle") == "Ресми хабарлар"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Екінші", "Бірінші"]
    first = entries[0]
    assert first.findtext(f"{ATOM}summary") == "Келесі"
    link = first.find(f"{ATOM}link").get("href")
    assert link.endswith(second.url)
    assert link.startswith("http://")
    assert first.findtext(f"{ATOM}updated")
    assert first.findtext(f"{ATOM}published")
    assert first.findtext(f"{ATOM}id")


def test_feed_of_an_empty_index_has_no_entries(client, news):
    feed = get_feed(client, news)

    assert feed.findall(f"{ATOM}entry") == []


def test_feed_holds_at_most_30_entries(client, news):
    for n in range(32):
        make_announcement(news, title=f"N{n}", date=datetime.date(2025, 1, 1))

    assert len(get_feed(client, news).findall(f"{ATOM}entry")) == 30


def test_each_language_has_its_own_feed(client, news):
    make_announcement(news, title="Қазақша")
    translate(home_page("kk"), "ru", title="Главная")
    ru_news = translate(news, "ru", title="Новости")
    make_announcement(ru_news, title="По-русски")

    kk_titles = [e.findtext(f"{ATOM}title") for e in get_feed(client, news).iter(f"{ATOM}entry")]
    ru_feed = get_feed(client, ru_news)
    ru_titles = [e.findtext(f"{ATOM}title") for e in ru_feed.iter(f"{ATOM}entry")]

    assert kk_titles == ["Қазақша"]
    assert ru_titles == ["По-русски"]
    assert ru_feed.findtext(f"{ATOM}title") == "Новости"
