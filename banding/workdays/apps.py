from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "banding.workdays"
    label = "workdays"
    verbose_name = "Hari kerja"
