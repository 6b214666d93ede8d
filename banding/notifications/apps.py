from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "banding.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        # Who is told of a step opened or a milestone reached (banding.appeals.hooks), the
        # appeals' other notices (banding.appeals.notices) and the accounts' e-mails
        # (banding.accounts.hooks); what the customer was sent, for the evidence pack
        # (banding.archive.hooks).
        from banding.accounts import hooks as account_hooks
        from banding.appeals import hooks, notices
        from banding.archive import hooks as archive_hooks
        from banding.notifications import (
            checks,  # noqa: F401  (registers the system checks)
            events,
            receivers,
        )

        hooks.announce.connect(events.tell)
        notices.notify.connect(receivers.notify)
        notices.notify_each.connect(receivers.notify_each)
        notices.mail_contact.connect(receivers.mail_contact)
        account_hooks.queue_mail.connect(receivers.queue_mail)
        account_hooks.count_mails.connect(receivers.count_mails)
        archive_hooks.correspondence.connect(receivers.correspondence)
