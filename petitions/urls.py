from django.urls import path

from . import export, views, workspace

app_name = "petitions"

# Public pages and the author's side (views.py); moderators' and addressees' side
# (workspace.py). Every address is under /<lang>/petitions/.
urlpatterns = [
    path("petitions/", views.petition_index, name="index"),
    path("petitions/export.csv", export.petition_export, name="export"),
    path("petitions/new/", views.petition_create, name="create"),
    path("petitions/similar/", views.similar_petitions, name="similar"),
    path("petitions/mine/", views.my_petitions, name="mine"),
    path("petitions/<int:pk>/", views.petition_detail, name="detail"),
    path("petitions/<int:pk>/edit/", views.petition_edit, name="edit"),
    path("petitions/<int:pk>/submit/", views.petition_submit, name="submit"),
    path("petitions/<int:pk>/withdraw/", views.petition_withdraw, name="withdraw"),
    path("petitions/<int:pk>/sign/", views.petition_sign, name="sign"),
    path("petitions/<int:pk>/unsign/", views.petition_unsign, name="unsign"),
    path("petitions/<int:pk>/signatures/", views.signature_list, name="signatures"),
    path(
        "petitions/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "petitions/<int:pk>/response-files/<int:attachment_pk>/",
        views.response_attachment_download,
        name="response_attachment",
    ),
    # Moderators (the platform operator) and the addressed bodies.
    path("petitions/moderation/", workspace.moderation_queue, name="moderation"),
    path("petitions/moderation/trends/", workspace.trends, name="trends"),
    path("petitions/<int:pk>/moderate/", workspace.petition_moderate, name="moderate"),
    path("petitions/<int:pk>/invalidate/", workspace.signatures_invalidate, name="invalidate"),
    path("petitions/responses/", workspace.response_queue, name="responses"),
    path("petitions/<int:pk>/respond/", workspace.petition_respond, name="respond"),
]
