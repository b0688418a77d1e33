from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("dialogue/", views.hub, name="hub"),
    path(
        "comments/on/<int:content_type_id>/<str:object_pk>/",
        views.comments_page,
        name="comments",
    ),
    path(
        "comments/on/<int:content_type_id>/<str:object_pk>/post/",
        views.comment_create,
        name="post",
    ),
    path(
        "comments/on/<int:content_type_id>/<str:object_pk>/new/",
        views.comments_new,
        name="new",
    ),
    path("comments/<int:comment_id>/replies/", views.comment_replies, name="replies"),
    path("comments/<int:comment_id>/reply/", views.comment_reply, name="reply"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:comment_id>/withdraw/", views.comment_withdraw, name="withdraw"),
    path("comments/<int:comment_id>/vote/", views.comment_vote, name="vote"),
    path("comments/<int:comment_id>/history/", views.comment_history, name="history"),
]
