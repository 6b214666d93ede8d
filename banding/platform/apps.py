from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "banding.platform"
    label = "platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from banding.platform import checks  # noqa: F401  (registers the system checks)
