from django.apps import AppConfig


class AshyqConfig(AppConfig):
    name = "ashyq"
    verbose_name = "Ashyq"
