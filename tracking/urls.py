from django.urls import include, path

from . import views

app_name = "tracking"

urlpatterns = [
    path("deadlines/", views.deadline_calculator, name="deadline_calculator"),
    # Scorecards, comparison, overdue and open obligations (pages).
    path("", include("tracking.page_urls")),
    # Open data: bulk downloads, feeds and the data page.
    path("", include("tracking.opendata_urls")),
    # Watchlists.
    path("", include("tracking.watchlists.urls")),
]
