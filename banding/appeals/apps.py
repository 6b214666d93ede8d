from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "banding.appeals"
    label = "appeals"
    verbose_name = _("Banding")

    def ready(self) -> None:
        from banding.appeals import checks  # noqa: F401  (registers the system check)
