from django.urls import path

from . import views, workspace

app_name = "conferences"

# Every address is under /<lang>/dialogue/conferences/. Public pages (views.py), then the
# staff's (workspace.py).
urlpatterns = [
    path("", views.conference_index, name="index"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/ask/", views.question_ask, name="ask"),
    path("<int:pk>/questions/<int:question_pk>/vote/", views.question_vote, name="vote"),
    path("manage/", workspace.manage, name="manage"),
    path("manage/new/<slug:agency_slug>/", workspace.conference_create, name="create"),
    path("<int:pk>/edit/", workspace.conference_edit, name="edit"),
    path("<int:pk>/cancel/", workspace.conference_cancel, name="cancel"),
    path("<int:pk>/moderation/", workspace.moderation, name="moderation"),
    path("<int:pk>/studio/", workspace.studio, name="studio"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        workspace.question_answer,
        name="answer",
    ),
    path("<int:pk>/convert/", workspace.convert, name="convert"),
]
