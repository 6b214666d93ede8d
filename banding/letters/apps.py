from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "banding.letters"
    label = "letters"
    verbose_name = "Surat dinas"
