"""Where the server listens and the address its links carry (BANDING_PUBLIC_URL).

`banding serve` and `banding demo` derive the public URL from `--host/--port` unless the
environment sets BANDING_PUBLIC_URL (then it wins), hand it to gunicorn's workers and the
background worker (receipts, e-mail links and the letters' QR codes are built there), and
record where they listen in var/server.json, so that `banding check` can compare the two
(banding.platform.checks). Docs: docs/deploy.md, "Alamat publik".
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test.utils import override_settings

# settings.py's default for BANDING_PUBLIC_URL (the address of `banding demo` with no option).
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
# Addresses that mean "every interface": never a link.
ANY_ADDRESS = {"0.0.0.0", "::", "", "*"}
# A documentation address (RFC 5737): connecting a UDP socket to it sends nothing, and tells
# which local address the machine's default route would use.
_PROBE = ("192.0.2.1", 9)
RECORD = "server.json"


@dataclass(frozen=True)
class PublicUrl:
    url: str
    from_environment: bool
    hint: str = ""  # said when the derived address may not be what users reach


def primary_address() -> str | None:
    """The IPv4 address other machines most likely reach this one at (the one of the
    default route), or None without a network."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            found = probe.getsockname()[0]
    except OSError:
        return None
    return None if is_loopback(found) else found


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """A host as written in a URL or a bind address: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def derive(host: str, port: int, environ: Mapping[str, str]) -> PublicUrl:
    """The public URL of a server started on host:port: BANDING_PUBLIC_URL when set;
    otherwise http://<host>:<port>, where an any-address (0.0.0.0, ::) becomes this machine's
    primary address, or 127.0.0.1 with a hint when it has none."""
    given = (environ.get("BANDING_PUBLIC_URL") or "").strip()
    if given:
        return PublicUrl(given.rstrip("/"), from_environment=True)
    hint = ""
    name = host.strip("[]")
    if name in ANY_ADDRESS:
        found = primary_address()
        if found is None:
            name = "127.0.0.1"
            hint = (
                "Alamat jaringan komputer ini tidak ditemukan; tautan di surel dan kode QR "
                "memakai 127.0.0.1 dan hanya terbuka di komputer ini. Atur BANDING_PUBLIC_URL "
                "ke alamat yang dibuka pengguna."
            )
        else:
            name = found
            hint = (
                f"Tautan di surel dan kode QR memakai alamat {found} (alamat jaringan komputer "
                "ini); atur BANDING_PUBLIC_URL bila pengguna membukanya dengan nama lain."
            )
    netloc = url_host(name) if port == 80 else f"{url_host(name)}:{port}"
    return PublicUrl(f"http://{netloc}", from_environment=False, hint=hint)


def allowed_hosts(url: str, environ: Mapping[str, str], current: list[str]) -> list[str]:
    """The host names the server accepts: BANDING_ALLOWED_HOSTS when set (the operator's
    list, kept as it is), otherwise the current list with the public URL's host, so that its
    links are not answered "Bad Request (400)"."""
    if environ.get("BANDING_ALLOWED_HOSTS"):
        return list(current)
    host = (urlsplit(url).hostname or "").lower()
    return [*current, host] if host and host not in current else list(current)


def server_environment(
    host: str, port: int, environ: Mapping[str, str], current_hosts: list[str]
) -> tuple[dict[str, str], PublicUrl]:
    """The environment of gunicorn and of the background worker: `environ` with the public URL
    and the allowed hosts the server runs with."""
    public = derive(host, port, environ)
    hosts = allowed_hosts(public.url, environ, current_hosts)
    env = {**environ, "BANDING_PUBLIC_URL": public.url}
    if not environ.get("BANDING_ALLOWED_HOSTS"):
        env["BANDING_ALLOWED_HOSTS"] = ",".join(hosts)
    return env, public


def applied(env: Mapping[str, str]) -> override_settings:
    """This process with the server's public URL and hosts, as a context: what it does before
    it starts the server (the demo's seeding issues letters with QR codes) links alike."""
    hosts = env.get("BANDING_ALLOWED_HOSTS")
    return override_settings(
        BANDING_PUBLIC_URL=env["BANDING_PUBLIC_URL"],
        ALLOWED_HOSTS=[h for h in hosts.split(",") if h] if hosts else settings.ALLOWED_HOSTS,
    )


# --- the record of the running server, for `banding check` ---------------------------------


@dataclass(frozen=True)
class Served:
    host: str
    port: int
    public_url: str
    pid: int


def record_path() -> Path:
    return Path(settings.VAR_DIR) / RECORD


def record(*, host: str, port: int, public_url: str, pid: int | None = None) -> None:
    """Note where this server listens (the gunicorn master keeps this process's id)."""
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"host": host, "port": port, "public_url": public_url, "pid": pid or os.getpid()}
    path.write_text(json.dumps(data), encoding="utf-8")


def served() -> Served | None:
    """The server started from this installation that is still running, if any."""
    try:
        data = json.loads(record_path().read_text(encoding="utf-8"))
        found = Served(str(data["host"]), int(data["port"]), str(data["public_url"]), data["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if _alive(found.pid) else None


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
