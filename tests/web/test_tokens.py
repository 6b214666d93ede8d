"""The API token page: create (raw value shown once), list, revoke."""

from __future__ import annotations

import re

from django.urls import reverse

from banding.accounts.models import ApiToken, hash_token

URL = "/akun/token/"


def test_token_url_is_the_named_one():
    assert reverse("accounts:tokens") == URL


def test_creating_a_token_shows_its_raw_value_once(client, p):
    client.force_login(p.staff)
    response = client.post(URL, {"name": "Skrip laporan"})
    assert response.status_code == 200
    body = response.content.decode()
    raw = re.search(r'value="(sbd_[^"]+)"', body).group(1)
    token = ApiToken.objects.get(user=p.staff)
    assert token.key_hash == hash_token(raw)
    assert "no-store" in response["Cache-Control"]
    assert "nilainya hanya ditampilkan sekali ini" in body
    again = client.get(URL).content.decode()
    assert raw not in again
    assert "Skrip laporan" in again
    assert f"{token.hint}…" in again


def test_token_needs_a_name(client, p):
    client.force_login(p.staff)
    response = client.post(URL, {"name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Nama token wajib diisi."]
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client, p):
    client.force_login(p.staff)
    client.post(URL, {"name": "Skrip laporan"})
    token = ApiToken.objects.get()
    response = client.post(reverse("accounts:token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(URL).content.decode()
    assert "Token Skrip laporan dicabut; token itu tidak dapat dipakai lagi." in page
    response = client.post(reverse("accounts:token_revoke", args=[token.public_id]))
    assert response.status_code == 409
    assert "Token ini sudah dicabut." in response.content.decode()


def test_another_user_cannot_revoke_it(client, p):
    client.force_login(p.staff)
    client.post(URL, {"name": "Skrip laporan"})
    token = ApiToken.objects.get()
    client.force_login(p.lead)
    response = client.post(reverse("accounts:token_revoke", args=[token.public_id]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(URL).context["tokens"].count() == 0


def test_revoking_needs_post(client, p):
    client.force_login(p.staff)
    client.post(URL, {"name": "Skrip"})
    token = ApiToken.objects.get()
    assert client.get(reverse("accounts:token_revoke", args=[token.public_id])).status_code == 405
