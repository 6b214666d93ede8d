"""The SOP document at /sop/ (namespace "sop")."""

from django.urls import path

from banding.sop import views

app_name = "sop"
urlpatterns = [
    path("", views.sop_document, name="document"),
]
