from django.urls import path

from banding.accounts import landing, staff_views, views

app_name = "accounts"
urlpatterns = [
    path("token/", views.tokens, name="tokens"),
    path("token/<uuid:public_id>/cabut/", views.token_revoke, name="token_revoke"),
    path("masuk/lanjut/", landing.after_login, name="after_login"),
    path("pendaftaran/", staff_views.registrations, name="registrations"),
    path(
        "pendaftaran/<uuid:public_id>/konfirmasi/",
        staff_views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "pendaftaran/<uuid:public_id>/tolak/",
        staff_views.registration_reject,
        name="registration_reject",
    ),
    path("organisasi/", staff_views.organizations, name="organizations"),
    path("organisasi/<uuid:public_id>/", staff_views.organization, name="organization"),
    path(
        "organisasi/<uuid:public_id>/narahubung/<uuid:contact_id>/undang-ulang/",
        staff_views.invite_resend,
        name="invite_resend",
    ),
]
