"""Repeated failed logins lock one username from one address out for a while (django-axes);
other users and API tokens are not affected, and the cool-off ends on its own."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from banding.accounts.services import api_token_create
from tests.factories import Personas

PASSWORD = "rahasia-uji-123"  # tests/factories.make_user


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client: Client, username: str = "staff", ip: str = "10.0.0.1") -> None:
    for _ in range(4):
        response = login(client, username, "salah", ip)
        assert response.status_code == 200  # the login form again, with its error
    # The fifth failure already answers with the lockout page.
    assert login(client, username, "salah", ip).status_code == 429


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, p: Personas):
    fail_five_times(client)
    response = login(client, "staff", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Akun dikunci sementara" in html
    assert "Tunggu 15 menit, lalu coba lagi." in html
    assert "_auth_user_id" not in client.session


def test_another_user_and_another_address_are_not_locked(client, p: Personas):
    fail_five_times(client)
    assert login(Client(), "ketua", PASSWORD).status_code == 302
    # The lockout is per username and address: the same user from elsewhere may still log in.
    assert login(Client(), "staff", PASSWORD, ip="10.0.0.2").status_code == 302


def test_login_works_again_after_the_cool_off(client, p: Personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        fail_five_times(client)
        assert login(client, "staff", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=14))
        assert login(client, "staff", PASSWORD).status_code == 429
        # Every attempt during the lockout starts the 15 minutes again.
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = login(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(p.staff.pk)


def test_limit_and_cool_off_come_from_settings(client, p: Personas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for _ in range(2):
        login(client, "staff", "salah")
    response = login(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert "Tunggu 30 menit, lalu coba lagi." in response.content.decode()


def test_api_tokens_still_work_for_a_locked_out_user(client, p: Personas):
    _, raw = api_token_create(user=p.staff, name="uji")
    fail_five_times(client)
    assert login(client, "staff", PASSWORD).status_code == 429
    response = Client().get("/api/v1/appeals", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_behind_the_proxy_the_address_it_appended_counts(client, p: Personas, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(5):
        # The client forges the first X-Forwarded-For entry; the proxy appends the real one.
        client.post(
            "/masuk/",
            {"username": "staff", "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{_}, 203.0.113.7",
        )
    response = Client().post(
        "/masuk/",
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert response.status_code == 429
