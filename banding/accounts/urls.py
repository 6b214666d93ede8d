from django.urls import path

from banding.accounts import views

app_name = "accounts"
urlpatterns = [
    path("token/", views.tokens, name="tokens"),
    path("token/<uuid:public_id>/cabut/", views.token_revoke, name="token_revoke"),
]
