from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "banding.portal"
    verbose_name = "Portal pelanggan"
