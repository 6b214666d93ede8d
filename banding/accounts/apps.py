from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "banding.accounts"
    label = "accounts"
    verbose_name = _("Akun dan organisasi")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from banding.accounts import sessions, signins

        user_logged_in.connect(signins.logged_in, dispatch_uid="banding.audit.logged_in")
        user_logged_in.connect(sessions.started, dispatch_uid="banding.accounts.session_started")
        user_login_failed.connect(signins.login_failed, dispatch_uid="banding.audit.login_failed")
