from django.urls import path  # noqa: F401

app_name = "threads"

# Every address is under /<lang>/dialogue/threads/.
urlpatterns: list = []
