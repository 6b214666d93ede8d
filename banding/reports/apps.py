from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "banding.reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # A change reaching into a finished month clears its frozen figures
        # (banding.appeals.hooks.figures_changed, in the changing action's transaction).
        from banding.appeals import hooks
        from banding.reports import rollups

        hooks.figures_changed.connect(rollups.invalidate)
