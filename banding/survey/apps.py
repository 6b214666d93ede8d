from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "banding.survey"
    verbose_name = "Survei kepuasan"
