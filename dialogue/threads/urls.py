from django.urls import path

from . import views

app_name = "threads"

# Every address is under /<lang>/dialogue/threads/.
urlpatterns = [
    path("", views.thread_index, name="index"),
    path("new/", views.thread_create, name="create"),
    path("agency/", views.agency_queue, name="agency"),
    path("<int:pk>/", views.thread_detail, name="detail"),
    path("<int:pk>/support/", views.thread_support, name="support"),
    path("<int:pk>/unsupport/", views.thread_unsupport, name="unsupport"),
    path("<int:pk>/withdraw/", views.thread_withdraw, name="withdraw"),
    path("<int:pk>/deadline/", views.thread_deadline, name="deadline"),
]
