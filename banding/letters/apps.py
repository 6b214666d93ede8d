from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "banding.letters"
    label = "letters"
    verbose_name = _("Surat dinas")

    def ready(self) -> None:
        # The letters are the outputs of the appeal's steps: the services' gate and the
        # reconciliation of letters with the records they are made from (banding.appeals.hooks).
        from banding.appeals import hooks
        from banding.letters import outputs, services

        hooks.completing.connect(outputs.check)
        hooks.record_changed.connect(services.reconcile_with_record)
        hooks.decision_returned.connect(services.withdraw_returned)
        # The surat tugas follows a replaced seat of the panel.
        hooks.panel_replaced.connect(services.appointment_update)
        hooks.appointment_issued.connect(services.appointment_in_force)
