from django.urls import path

from banding.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.results, name="results"),
    path("unduh.csv", views.export, name="csv"),
]
