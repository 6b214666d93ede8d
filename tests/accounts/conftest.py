"""Helpers for the customer-account tests: a registration through the portal page, and the
links of the e-mails the outbox sends."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.test import Client

from banding.notifications.models import Mail
from banding.notifications.outbox import mail_deliver_pending

PASSWORD = "Kemasan-Aman-2026"
REGISTER_URL = "/portal/akun/daftar/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The registration and reset limits count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def registration_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Dewi Anggraini",
        "email": "dewi@kemasan.example",
        "phone": "0812 3456 7890",
        "organization_name": "PT Kemasan Lestari",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def register(client: Client | None = None, **overrides: str):
    return (client or Client()).post(REGISTER_URL, registration_data(**overrides))


def queued(kind: str) -> list[Mail]:
    return list(Mail.objects.filter(kind=kind).order_by("pk"))


def link_in(message, route_prefix: str) -> str:
    """The path of the account link in a sent message (text part), e.g. /portal/akun/…/."""
    match = re.search(r"https?://\S+" + re.escape(route_prefix) + r"\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def sent_link(mailoutbox, route_prefix: str) -> str:
    """Send what is queued and return the link of the last mail sent."""
    mail_deliver_pending()
    assert mailoutbox, "no mail was sent"
    return link_in(mailoutbox[-1], route_prefix)
