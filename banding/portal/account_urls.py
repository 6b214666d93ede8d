"""Account pages at /portal/akun/ (route names in the `portal` namespace)."""

from django.urls import path

from banding.portal import accounts_views as views

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_done, name="register_done"),
    path("verifikasi/<str:uidb64>/<str:token>/", views.verify_email, name="verify_email"),
    path("atur-sandi/selesai/", views.password_set_done, name="password_set_done"),
    path("atur-sandi/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    path("sandi/", views.password_reset, name="password_reset"),
    path("sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path(
        "sandi/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
