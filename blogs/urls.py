from django.urls import path

from . import views, workspace

app_name = "blogs"

# The blog pages, a blog's question list, ask form and feed are Wagtail routes
# (blogs/routes.py). What follows needs no page: a question has its own address so that
# notifications, the obligations ledger and the moderation queue can link to it.
urlpatterns = [
    path("questions/similar/", views.similar_questions, name="similar_questions"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/support/", views.question_support, name="question_support"),
    path("questions/<int:pk>/rate/", views.question_rate, name="question_rate"),
    path(
        "questions/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    # The agency's side (blogs/workspace.py).
    path("questions/<int:pk>/publish/", workspace.question_publish, name="question_publish"),
    path("questions/<int:pk>/reject/", workspace.question_reject, name="question_reject"),
    path("questions/<int:pk>/answer/", workspace.question_answer, name="question_answer"),
    path("questions/<int:pk>/extend/", workspace.question_extend, name="question_extend"),
    path("questions/<int:pk>/redirect/", workspace.question_redirect, name="question_redirect"),
    path("questions/workspace/", workspace.workspace_home, name="workspace"),
    path(
        "questions/workspace/<slug:agency>/queue/",
        workspace.work_queue,
        name="work_queue",
    ),
    path(
        "questions/workspace/<slug:agency>/moderation/",
        workspace.moderation_queue,
        name="moderation_queue",
    ),
]
