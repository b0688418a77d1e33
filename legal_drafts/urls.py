from django.urls import path

from . import report, views, workspace

app_name = "legal_drafts"

# Public pages (views.py), the discussion report and its downloads (report.py), and the
# drafting agency's workspace (workspace.py). Every address is under /<lang>/drafts/.
urlpatterns = [
    path("drafts/", views.draft_index, name="index"),
    path("drafts/archive/", views.draft_archive, name="archive"),
    path("drafts/feed/", views.draft_feed, name="feed"),
    path("drafts/closing.ics", views.draft_calendar, name="calendar"),
    path("drafts/<int:pk>/", views.draft_detail, name="detail"),
    path("drafts/<int:pk>/note/", views.draft_note, name="note"),
    path("drafts/<int:pk>/opinions/", views.draft_opinions, name="opinions"),
    path("drafts/<int:pk>/expertise/", views.draft_expertise, name="expertise"),
    path("drafts/<int:pk>/versions/", views.version_list, name="versions"),
    path("drafts/<int:pk>/versions/<int:number>/", views.version_text, name="version"),
    path(
        "drafts/<int:pk>/versions/<int:number>/changes/",
        views.version_changes,
        name="version_changes",
    ),
    path(
        "drafts/<int:pk>/versions/<int:number>/<slug:anchor>/",
        views.paragraph_detail,
        name="paragraph",
    ),
    path("drafts/<int:pk>/vote/", views.draft_vote, name="vote"),
    path(
        "drafts/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"
    ),
    path("drafts/<int:pk>/report/", report.report_page, name="report"),
    path("drafts/<int:pk>/report.csv", report.report_csv, name="report_csv"),
    path("drafts/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    # The drafting agency's side.
    path("drafts/workspace/", workspace.workspace_home, name="workspace"),
    path("drafts/workspace/<slug:agency>/", workspace.agency_drafts, name="workspace_agency"),
    path("drafts/workspace/<slug:agency>/new/", workspace.draft_create, name="draft_create"),
    path("drafts/<int:pk>/edit/", workspace.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/text/", workspace.version_upload, name="version_upload"),
    path("drafts/<int:pk>/text/publish/", workspace.version_publish, name="version_publish"),
    path("drafts/<int:pk>/files/add/", workspace.attachment_add, name="attachment_add"),
    path("drafts/<int:pk>/extend/", workspace.draft_extend, name="draft_extend"),
    path("drafts/<int:pk>/withdraw/", workspace.draft_withdraw, name="draft_withdraw"),
    path("drafts/<int:pk>/outcome/", workspace.draft_outcome, name="draft_outcome"),
    path("drafts/<int:pk>/answers/", workspace.answer_queue, name="answer_queue"),
    path(
        "drafts/comments/<int:comment_pk>/disposition/",
        workspace.disposition_give,
        name="disposition",
    ),
    path("drafts/<int:pk>/report/publish/", workspace.report_publish, name="report_publish"),
]
