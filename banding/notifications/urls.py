from django.urls import path

from banding.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("baca-semua/", views.notifications_read_all, name="read_all"),
    path("<uuid:public_id>/baca/", views.notification_read, name="read"),
]
