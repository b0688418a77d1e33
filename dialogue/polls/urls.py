from django.urls import path  # noqa: F401

app_name = "polls"

# Every address is under /<lang>/dialogue/polls/.
urlpatterns: list = []
