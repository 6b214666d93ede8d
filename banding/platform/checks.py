"""`banding check`: whether the links SiBanding sends (e-mails, receipts, the letters' QR
codes, all built on BANDING_PUBLIC_URL) reach the server.

What can be known: the setting, DEBUG, the host names the server accepts, and where the
server started from this installation listens while it runs (var/server.json, written by
`banding serve` and `banding demo`: banding.platform.address). A proxy in front of the
server cannot be seen: a public URL naming another machine is taken as the proxy's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.http.request import validate_host

from banding.platform import address

DEFAULT_URL = "banding.W001"
LOOPBACK_URL = "banding.W002"
OTHER_PORT = "banding.W003"
HOST_REFUSED = "banding.W004"
MALFORMED_URL = "banding.W005"


def _port(parts: Any) -> int:
    try:
        port = parts.port
    except ValueError:
        return 0
    return port or (443 if parts.scheme == "https" else 80)


@register(Tags.urls, deploy=True)
def default_public_url_check(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A deployment check (`banding check --deploy`): every other command on a developer's
    machine would otherwise repeat it."""
    url = settings.BANDING_PUBLIC_URL
    if url != address.DEFAULT_PUBLIC_URL or settings.DEBUG:
        return []
    return [
        Warning(
            f"BANDING_PUBLIC_URL masih bawaan ({url}): tautan di surel, tanda terima dan "
            "kode QR surat hanya terbuka di komputer server ini.",
            hint="Atur BANDING_PUBLIC_URL ke alamat yang dibuka pengguna, mis. "
            'https://banding.balai.go.id (docs/deploy.md, "Alamat publik").',
            id=DEFAULT_URL,
        )
    ]


@register(Tags.urls)
def public_url_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    url = settings.BANDING_PUBLIC_URL
    parts = urlsplit(url)
    host = parts.hostname or ""
    found: list[CheckMessage] = []
    if parts.scheme not in {"http", "https"} or not host:
        found.append(
            Warning(
                f"BANDING_PUBLIC_URL bukan alamat http(s) yang sah: {url!r}.",
                hint="Contoh: https://banding.balai.go.id",
                id=MALFORMED_URL,
            )
        )
        return found
    hosts = address.allowed_hosts(url, os.environ, list(settings.ALLOWED_HOSTS))
    if not validate_host(host, hosts):
        found.append(
            Warning(
                f"Nama {host} dari BANDING_PUBLIC_URL tidak ada di BANDING_ALLOWED_HOSTS: "
                "setiap tautan akan dijawab 400 (permintaan buruk).",
                hint=f"Tambahkan {host} ke BANDING_ALLOWED_HOSTS.",
                id=HOST_REFUSED,
            )
        )
    running = address.served()
    if running is not None:
        # What the running server's links carry (its environment, perhaps not this shell's).
        found += mismatches(running.public_url, running.host, running.port)
    return found


def mismatches(url: str, listen_host: str, listen_port: int) -> list[CheckMessage]:
    """Why links to `url` would miss a server listening on listen_host:listen_port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    listening = f"{address.url_host(listen_host)}:{listen_port}"
    found: list[CheckMessage] = []
    if address.is_loopback(host) and not address.is_loopback(listen_host):
        found.append(
            Warning(
                f"BANDING_PUBLIC_URL ({url}) menunjuk komputer server sendiri, padahal server "
                f"melayani {listening} untuk komputer lain: tautan tidak terbuka di komputer "
                "pengguna.",
                hint="Atur BANDING_PUBLIC_URL ke nama atau alamat server yang dibuka pengguna.",
                id=LOOPBACK_URL,
            )
        )
    same_machine = address.is_loopback(host) or host == listen_host.strip("[]").lower()
    if same_machine and _port(parts) != listen_port:
        found.append(
            Warning(
                f"BANDING_PUBLIC_URL ({url}) memakai port {_port(parts)}, padahal server "
                f"melayani {listening}: tautan menuju port yang tidak dilayani.",
                hint=f"Atur BANDING_PUBLIC_URL dengan port {listen_port}, atau jalankan "
                "server tanpa BANDING_PUBLIC_URL agar alamatnya diambil dari --host/--port.",
                id=OTHER_PORT,
            )
        )
    return found
