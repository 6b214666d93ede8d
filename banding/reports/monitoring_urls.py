from django.urls import path

from banding.reports import monitoring_views

urlpatterns = [
    path("", monitoring_views.monitoring_page, name="monitoring"),
    path("simpan/", monitoring_views.monitoring_save, name="monitoring_save"),
    path("formulir.pdf", monitoring_views.monitoring_pdf_view, name="monitoring_pdf"),
    path("formulir.xlsx", monitoring_views.monitoring_xlsx_view, name="monitoring_xlsx"),
]
