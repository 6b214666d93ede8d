"""The customer portal at /portal/: apart from the staff workspace. Account pages (register,
verify, invitation, password reset) and the appeal pages live in their own modules."""

from django.urls import include, path

from banding.portal import language

app_name = "portal"
urlpatterns = [
    path("bahasa/", language.switch, name="language"),
    path("akun/", include("banding.portal.account_urls")),
    path("", include("banding.portal.appeal_urls")),
]
