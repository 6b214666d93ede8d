from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "banding.archive"
    verbose_name = "Arsip"
