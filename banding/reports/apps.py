from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "banding.reports"
    verbose_name = "Laporan"
