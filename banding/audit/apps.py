from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "banding.audit"
    label = "audit"
    verbose_name = "Log audit"
