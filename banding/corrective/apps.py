from django.apps import AppConfig


class CorrectiveConfig(AppConfig):
    name = "banding.corrective"
    verbose_name = "Tindakan perbaikan"
