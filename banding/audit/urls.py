"""The audit log at /log-audit/ (namespace "audit")."""

from django.urls import path

from banding.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("unduh.<str:file_format>", views.log_export, name="export"),
]
