from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data/download.json", views.my_data_download, name="my_data_download"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
]
