"""Wagtail admin pieces shared by the modules."""

from __future__ import annotations

from django.urls import path


class ReadOnlyViewSetMixin:
    """For a `ModelViewSet` whose rows change only through the module's services: the
    list (with its filters and search) and the inspect screen, and no add, edit, delete,
    history or usage screens or links."""

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
