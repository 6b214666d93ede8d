from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "banding.appeals"
    label = "appeals"
    verbose_name = "Banding"
