from django.urls import path

from banding.corrective import views

app_name = "corrective"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("saya/", views.mine, name="mine"),
    path("banding/<uuid:public_id>/", views.appeal_card, name="appeal"),
    path("banding/<uuid:public_id>/tambah/", views.appeal_add, name="add"),
    path("<uuid:public_id>/", views.action_page, name="action"),
    path("<uuid:public_id>/selesai/", views.action_complete, name="complete"),
    path("<uuid:public_id>/verifikasi/", views.action_check, name="check"),
]
