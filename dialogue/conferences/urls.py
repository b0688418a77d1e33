from django.urls import path  # noqa: F401

app_name = "conferences"

# Every address is under /<lang>/dialogue/conferences/.
urlpatterns: list = []
