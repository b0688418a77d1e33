"""Open data pages: the data page and the Atom feeds of newly overdue obligations (the
bulk downloads are API endpoints: `tracking/api.py`).

The feeds live under `feed/` paths of their own: `obligations/overdue/` and
`agencies/<slug>/scorecard/` are pages (`page_urls.py`), and `accounts` answers
`agencies/<slug>/` first (no clash: these paths are longer).
"""

from django.urls import path

from . import feeds, opendata_views

urlpatterns = [
    path("open-data/", opendata_views.open_data, name="open_data"),
    path("obligations/overdue/feed/", feeds.OverdueFeed(), name="overdue_feed"),
    path(
        "agencies/<slug:slug>/overdue/feed/",
        feeds.AgencyOverdueFeed(),
        name="agency_overdue_feed",
    ),
]
