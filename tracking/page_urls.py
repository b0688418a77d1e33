"""The public tracking pages (under the `tracking` namespace).

The comparison lives at `scorecards/`, not `agencies/scorecards/`: `accounts` answers
`agencies/<slug>/` first, so that path would be taken for an agency's slug.
"""

from django.urls import path

from . import page_views

urlpatterns = [
    path(
        "agencies/<slug:slug>/scorecard/",
        page_views.agency_scorecard,
        name="agency_scorecard",
    ),
    path("scorecards/", page_views.comparison, name="scorecard_comparison"),
    path("obligations/overdue/", page_views.overdue, name="overdue"),
    path("obligations/", page_views.obligation_list, name="obligation_list"),
]
