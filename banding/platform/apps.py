from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "banding.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from banding.audit.checkpoint import checkpoint_written
        from banding.platform import checks  # noqa: F401  (registers the system checks)
        from banding.platform.checkpoints import mail_checkpoint

        checkpoint_written.connect(mail_checkpoint)
