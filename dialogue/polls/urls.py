from django.urls import path

from . import export, views, workspace

app_name = "polls"

# Every address is under /<lang>/dialogue/polls/. Public pages (views.py), the CSV files
# (export.py) and the agency's workspace (workspace.py).
urlpatterns = [
    path("", views.poll_index, name="index"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/results/", views.poll_results, name="results"),
    path("<int:pk>/results.csv", export.results_csv, name="results_csv"),
    path("<int:pk>/responses.csv", export.responses_csv, name="responses_csv"),
    path("manage/", workspace.manage_index, name="manage"),
    path("manage/new/", workspace.poll_create, name="create"),
    path("manage/<int:pk>/", workspace.poll_manage, name="manage_poll"),
    path("manage/<int:pk>/edit/", workspace.poll_edit, name="edit"),
    path("manage/<int:pk>/publish/", workspace.poll_publish, name="publish"),
    path("manage/<int:pk>/cancel/", workspace.poll_cancel, name="cancel"),
    path("manage/<int:pk>/questions/new/", workspace.question_create, name="question_create"),
    path(
        "manage/<int:pk>/questions/<int:question_pk>/edit/",
        workspace.question_edit,
        name="question_edit",
    ),
    path(
        "manage/<int:pk>/questions/<int:question_pk>/remove/",
        workspace.question_remove,
        name="question_remove",
    ),
    path(
        "manage/<int:pk>/questions/<int:question_pk>/move/",
        workspace.question_move,
        name="question_move",
    ),
]
