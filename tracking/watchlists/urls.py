from django.urls import path

from . import views

# Included from tracking/urls.py: the names live in the "tracking" namespace.
urlpatterns = [
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/add/", views.watch_add_view, name="watchlist_add"),
    path("watchlist/<int:pk>/remove/", views.watch_remove_view, name="watchlist_remove"),
]
