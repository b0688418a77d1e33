from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import blogs.api
import dialogue.api
import dialogue.conferences.api
import dialogue.polls.api
import dialogue.threads.api
import legal_drafts.api
import moderation.api
import notifications.api
import petitions.api
import search.api
import tracking.api
import tracking.watchlists.api
from accounts.api import AgencyViewSet
from cms.api import AnnouncementViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("announcements", AnnouncementViewSet, basename="announcement")
for app_api in (
    tracking.api,
    tracking.watchlists.api,
    search.api,
    notifications.api,
    moderation.api,
    dialogue.api,
    blogs.api,
    legal_drafts.api,
    petitions.api,
    dialogue.threads.api,
    dialogue.conferences.api,
    dialogue.polls.api,
):
    app_api.register(router)

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
]

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("", include("accounts.urls")),
    path("", include("tracking.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("moderation.urls")),
    path("", include("dialogue.urls")),
    path("", include("blogs.urls")),
    path("", include("legal_drafts.urls")),
    path("", include("petitions.urls")),
    path("dialogue/threads/", include("dialogue.threads.urls")),
    path("dialogue/conferences/", include("dialogue.conferences.urls")),
    path("dialogue/polls/", include("dialogue.polls.urls")),
    path("accounts/", include("allauth.urls")),
    # Wagtail serves every page last, so the module URLs above take precedence.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
