"""The public URL (BANDING_PUBLIC_URL) of `banding serve` and `banding demo`: derived from
--host/--port unless the environment sets it, handed to gunicorn and the background worker,
and checked by `banding check`."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from banding.platform import address, checks
from banding.platform.management.commands import demo as demo_command
from banding.platform.management.commands import serve as serve_command
from banding.platform.management.commands import worker as worker_command


def ids(messages) -> list[str]:
    return [m.id for m in messages]


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("BANDING_PUBLIC_URL", "BANDING_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_it_derives_the_url_from_the_host_and_port():
    assert address.derive("127.0.0.1", 18100, {}).url == "http://127.0.0.1:18100"
    assert address.derive("banding.lan", 80, {}).url == "http://banding.lan"
    assert address.derive("::1", 9000, {}).url == "http://[::1]:9000"
    assert not address.derive("127.0.0.1", 18100, {}).from_environment


def test_the_environment_variable_wins():
    public = address.derive("0.0.0.0", 18100, {"BANDING_PUBLIC_URL": "https://banding.go.id/"})

    assert public.url == "https://banding.go.id"
    assert public.from_environment and public.hint == ""


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_an_any_address_becomes_the_machines_primary_address(monkeypatch, host):
    monkeypatch.setattr(address, "primary_address", lambda: "192.168.10.7")

    public = address.derive(host, 18101, {})

    assert public.url == "http://192.168.10.7:18101"
    assert "192.168.10.7" in public.hint


def test_without_a_network_an_any_address_becomes_loopback_with_a_hint(monkeypatch):
    monkeypatch.setattr(address, "primary_address", lambda: None)

    public = address.derive("0.0.0.0", 18102, {})

    assert public.url == "http://127.0.0.1:18102"
    assert "BANDING_PUBLIC_URL" in public.hint


def test_the_public_host_is_allowed_unless_the_operator_lists_the_hosts():
    current = ["127.0.0.1", "localhost"]

    assert address.allowed_hosts("http://10.0.0.5:8000", {}, current) == [*current, "10.0.0.5"]
    assert address.allowed_hosts("http://localhost:8000", {}, current) == current
    operator = {"BANDING_ALLOWED_HOSTS": "banding.go.id"}
    assert address.allowed_hosts("http://10.0.0.5:8000", operator, current) == current


def test_serve_hands_the_derived_url_to_gunicorn(monkeypatch, clean_env, var):
    started = {}
    monkeypatch.setattr(
        serve_command.os,
        "execve",
        lambda program, argv, env: started.update(program=program, argv=argv, env=env),
    )

    out = io.StringIO()
    call_command("serve", "--port", "18103", "--workers", "1", "--threads", "3", stdout=out)

    env = started["env"]
    assert env["BANDING_PUBLIC_URL"] == "http://127.0.0.1:18103"
    assert env["DJANGO_SETTINGS_MODULE"] == "banding.settings"
    assert started["argv"][started["argv"].index("--bind") + 1] == "127.0.0.1:18103"
    assert "Tautan di surel dan kode QR surat: http://127.0.0.1:18103 (dari --host/--port)." in (
        out.getvalue()
    )
    # This process is back to its own settings once gunicorn would have taken over.
    assert django_settings.BANDING_PUBLIC_URL == address.DEFAULT_PUBLIC_URL
    assert address.served() == address.Served(
        "127.0.0.1", 18103, env["BANDING_PUBLIC_URL"], os.getpid()
    )


def test_serve_keeps_the_url_of_the_environment(monkeypatch, var):
    monkeypatch.setenv("BANDING_PUBLIC_URL", "https://banding.balai.go.id")
    monkeypatch.setenv("BANDING_ALLOWED_HOSTS", "banding.balai.go.id")
    started = {}
    monkeypatch.setattr(serve_command.os, "execve", lambda p, a, env: started.update(env=env))

    call_command("serve", "--host", "0.0.0.0", "--port", "18104", stdout=io.StringIO())

    assert started["env"]["BANDING_PUBLIC_URL"] == "https://banding.balai.go.id"
    assert started["env"]["BANDING_ALLOWED_HOSTS"] == "banding.balai.go.id"


class FakeWorker:
    pid = 4321

    def terminate(self) -> None:
        pass

    def wait(self) -> int:
        return 0


@pytest.mark.django_db
def test_demo_on_another_port_gives_its_url_to_the_server_the_worker_and_its_own_letters(
    monkeypatch, clean_env, var
):
    handed: dict[str, dict] = {}
    seen_while_seeding: list[str] = []
    monkeypatch.setattr(address, "primary_address", lambda: "192.168.10.7")
    monkeypatch.setattr(
        demo_command,
        "start_worker",
        lambda env: handed.update(worker=worker_command.worker_environment(env)) or FakeWorker(),
    )
    monkeypatch.setattr(demo_command, "serve", lambda **kw: handed.update(server=kw["env"]))
    real_seed = demo_command.demo.seed

    def seed():
        seen_while_seeding.append(django_settings.BANDING_PUBLIC_URL)
        return real_seed()

    monkeypatch.setattr(demo_command.demo, "seed", seed)

    out = io.StringIO()
    call_command("demo", "--host", "0.0.0.0", "--port", "18105", stdout=out)

    url = "http://192.168.10.7:18105"
    assert handed["server"]["BANDING_PUBLIC_URL"] == url
    assert handed["worker"]["BANDING_PUBLIC_URL"] == url
    assert "192.168.10.7" in handed["server"]["BANDING_ALLOWED_HOSTS"].split(",")
    assert handed["worker"]["BANDING_ALLOWED_HOSTS"] == handed["server"]["BANDING_ALLOWED_HOSTS"]
    assert seen_while_seeding == [url]  # receipts and QR codes made by the seeding
    assert f"Buka {url}/ " in out.getvalue()
    assert django_settings.BANDING_PUBLIC_URL == address.DEFAULT_PUBLIC_URL


@pytest.mark.django_db
def test_demo_given_a_url_in_the_environment_uses_it(monkeypatch, var):
    monkeypatch.setenv("BANDING_PUBLIC_URL", "http://demo.balai.lan:8080")
    handed: dict[str, dict] = {}
    monkeypatch.setattr(
        demo_command, "start_worker", lambda env: handed.update(w=env) or FakeWorker()
    )
    monkeypatch.setattr(demo_command, "serve", lambda **kw: handed.update(s=kw["env"]))

    call_command("demo", "--port", "18106", stdout=io.StringIO())

    assert handed["s"]["BANDING_PUBLIC_URL"] == handed["w"]["BANDING_PUBLIC_URL"]
    assert handed["s"]["BANDING_PUBLIC_URL"] == "http://demo.balai.lan:8080"


# --- banding check ---------------------------------------------------------------------------


def test_check_warns_about_the_default_url_without_debug(settings, clean_env, var):
    settings.DEBUG = False
    settings.BANDING_PUBLIC_URL = address.DEFAULT_PUBLIC_URL

    assert ids(checks.default_public_url_check(None)) == [checks.DEFAULT_URL]
    assert ids(checks.public_url_check(None)) == []

    settings.DEBUG = True
    assert ids(checks.default_public_url_check(None)) == []


def test_check_is_quiet_for_a_public_name(settings, clean_env, var):
    settings.BANDING_PUBLIC_URL = "https://banding.balai.go.id"

    assert ids(checks.public_url_check(None)) == []


def test_check_warns_when_the_listed_hosts_refuse_the_public_name(settings, monkeypatch, var):
    monkeypatch.setenv("BANDING_ALLOWED_HOSTS", "banding.balai.go.id")
    settings.ALLOWED_HOSTS = ["banding.balai.go.id"]
    settings.BANDING_PUBLIC_URL = "https://banding.example.go.id"

    assert ids(checks.public_url_check(None)) == [checks.HOST_REFUSED]


def test_check_warns_when_the_running_server_listens_elsewhere(settings, clean_env, var):
    settings.BANDING_PUBLIC_URL = "https://banding.balai.go.id"
    # A server of this installation runs (this process stands for it) with a loopback URL
    # while it listens for other machines, on another port.
    address.record(host="0.0.0.0", port=18107, public_url="http://127.0.0.1:8000")

    assert ids(checks.public_url_check(None)) == [checks.LOOPBACK_URL, checks.OTHER_PORT]


def test_check_ignores_the_record_of_a_server_that_has_stopped(settings, clean_env, var):
    settings.BANDING_PUBLIC_URL = "https://banding.balai.go.id"
    address.record(host="0.0.0.0", port=18107, public_url="http://127.0.0.1:8000", pid=2**22 + 7)

    assert ids(checks.public_url_check(None)) == []


def test_check_accepts_a_server_whose_url_matches_where_it_listens(settings, clean_env, var):
    settings.BANDING_PUBLIC_URL = "https://banding.balai.go.id"
    address.record(host="127.0.0.1", port=18108, public_url="http://127.0.0.1:18108")

    assert ids(checks.public_url_check(None)) == []


def test_banding_check_deploy_reports_it(settings, clean_env, var):
    settings.DEBUG = False
    settings.BANDING_PUBLIC_URL = address.DEFAULT_PUBLIC_URL
    err = io.StringIO()

    call_command("check", stdout=io.StringIO(), stderr=err)
    assert "banding.W001" not in err.getvalue()

    call_command("check", deploy=True, tags=["urls"], stdout=io.StringIO(), stderr=err)
    assert "banding.W001" in err.getvalue()
