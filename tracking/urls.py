from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("deadlines/", views.deadline_calculator, name="deadline_calculator"),
]
