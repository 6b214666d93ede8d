from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "banding.audit"
    label = "audit"
    verbose_name = _("Log audit")

    def ready(self) -> None:
        from banding.audit import checks  # noqa: F401  (registers the system checks)
