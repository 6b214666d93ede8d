"""The archive's pages at /arsip/ (namespace "archive"): the retention (JRA) workflow."""

from django.urls import path

from banding.archive import views

app_name = "archive"
urlpatterns = [
    path("retensi/", views.retention, name="retention"),
    path("retensi/pindah/", views.transfer, name="transfer"),
    path("retensi/pindah/<uuid:public_id>/pdf/", views.transfer_pdf, name="transfer_pdf"),
    path("retensi/nilai/<uuid:public_id>/", views.appraise, name="appraise"),
    path("retensi/usul-musnah/", views.propose, name="propose"),
    path("retensi/usul-musnah/<uuid:public_id>/putuskan/", views.decide, name="decide"),
    path(
        "retensi/usul-musnah/<uuid:public_id>/berita-acara/",
        views.minutes_pdf,
        name="minutes_pdf",
    ),
]
