"""Reports at /laporan/ (namespace "reports"): the dashboard, the SOP monitoring and its form,
and the management review input; each in its own module."""

from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("banding.reports.dashboard_urls")),
    path("monitoring/", include("banding.reports.monitoring_urls")),
    path("tinjauan/", include("banding.reports.review_urls")),
]
