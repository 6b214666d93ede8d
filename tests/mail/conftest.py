"""A real SMTP server on loopback (aiosmtpd) for the mail tests, and personas with e-mail
addresses (the shared personas have none, so nothing is mailed elsewhere)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from banding.accounts.models import User
from tests.factories import Personas


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1:<port>; `stop()` and `start()` again on the same port, as a mail
    server that goes down and comes back."""

    port: int
    received: list[Received] = field(default_factory=list)
    controller: Controller | None = None
    refused: dict[str, str] = field(default_factory=dict)  # address → the server's answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """A running SMTP server, and the default mailer pointing at it through Django's SMTP
    backend (instead of the test run's locmem backend)."""
    server = SmtpServer(port=free_port())
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


ADDRESSES = {
    "staff": "siti@balai.example.go.id",
    "ketua": "rina@balai.example.go.id",
    "kepala": "bambang@balai.example.go.id",
    "teknis_a": "agus@balai.example.go.id",
    "teknis_b": "dewi@balai.example.go.id",
    "panel_1": "hendra@balai.example.go.id",
    "panel_2": "nuraini@balai.example.go.id",
    "panel_3": "yusuf@balai.example.go.id",
    "panel_4": "maria@balai.example.go.id",
    "pelanggan": "pelanggan@kimia.example",
    "pelanggan_lain": "pelanggan@farmasi.example",
}


@pytest.fixture
def mailable(p: Personas) -> Personas:
    """The personas, each with an e-mail address (ADDRESSES)."""
    for user in p.everyone():
        user.email = ADDRESSES.get(user.username, "")
        User.objects.filter(pk=user.pk).update(email=user.email)
    return p
