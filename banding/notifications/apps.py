from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "banding.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        # Who is told of a step opened or a milestone reached (banding.appeals.hooks).
        from banding.appeals import hooks
        from banding.notifications import events

        hooks.announce.connect(events.tell)
