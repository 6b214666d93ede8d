from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "banding.platform"
    label = "platform"
    verbose_name = "Platform"
