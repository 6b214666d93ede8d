from django.urls import path

from banding.reports import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
]
