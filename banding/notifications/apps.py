from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "banding.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
