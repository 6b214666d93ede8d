from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "banding.accounts"
    label = "accounts"
    verbose_name = "Akun dan organisasi"
