from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/items/<int:pk>/", views.open_item, name="open_item"),
    path("moderation/report/<str:model>/<str:object_id>/", views.flag, name="flag"),
    path("moderation/users/<int:pk>/", views.user_detail, name="user"),
    path("moderation/users/<int:pk>/block/", views.user_block, name="user_block"),
    path("moderation/users/<int:pk>/unblock/", views.user_unblock, name="user_unblock"),
]
