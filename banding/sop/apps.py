from django.apps import AppConfig


class SopConfig(AppConfig):
    name = "banding.sop"
    label = "sop"
    verbose_name = "SOP 5.1.24"
