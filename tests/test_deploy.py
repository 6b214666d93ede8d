"""Production settings (docs/operator.md, "Produksi"): `banding check --deploy` reports
nothing, and the development defaults are what it warns about."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

PRODUCTION = {
    "BANDING_DEBUG": "false",
    "BANDING_SECRET_KEY": secrets.token_urlsafe(50),
    "BANDING_SECURE_COOKIES": "true",
    "BANDING_ALLOWED_HOSTS": "banding.example.go.id",
    "BANDING_PUBLIC_URL": "https://banding.example.go.id",
    "BANDING_HSTS_SECONDS": "31536000",
    "BANDING_SSL_REDIRECT": "true",
}


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BANDING_", "DJANGO_")) and k != "DATABASE_URL"
    }
    environment.update(BANDING_VAR_DIR=str(tmp_path), **env)
    banding = shutil.which("banding") or str(Path(sys.executable).with_name("banding"))
    return subprocess.run(
        [banding, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def audit_keys(tmp_path: Path) -> dict[str, str]:
    """The audit log's keys a production installation is given (`banding audit keygen`)."""
    from banding.audit import keys

    signing = tmp_path / "audit-checkpoint.pem"
    signing.write_bytes(Path(os.environ["BANDING_AUDIT_SIGNING_KEY_FILE"]).read_bytes())
    return {
        "BANDING_AUDIT_KEY": keys.new_key_line("prod-1").strip(),
        "BANDING_AUDIT_SIGNING_KEY_FILE": str(signing),
    }


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION, **audit_keys(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_the_audit_log_keys(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "(banding.E120) Kunci log audit tidak ada: atur BANDING_AUDIT_KEY atau" in output
    assert "(banding.E121) Kunci tanda tangan titik periksa log audit tidak ada: atur " in output
    assert "BANDING_AUDIT_SIGNING_KEY_FILE" in output


def test_development_defaults_are_flagged(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for warning in (
        "security.W004",
        "security.W008",
        "security.W009",
        "security.W012",
        "banding.W001",
    ):
        assert warning in output


def serving(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The settings as a server process reads them: `python -c` importing banding.wsgi's
    settings with BANDING_SERVING (what banding.wsgi and `banding serve`/`worker` set), or a
    `banding` command."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BANDING_", "DJANGO_")) and k != "DATABASE_URL"
    }
    environment.update(BANDING_VAR_DIR=str(tmp_path), **env)
    command = list(args) or [
        sys.executable,
        "-c",
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'banding.settings'; "
        "import banding.wsgi; print('started')",
    ]
    return subprocess.run(command, env=environment, capture_output=True, text=True, check=False)


def test_a_server_refuses_to_start_without_the_production_settings(tmp_path):
    result = serving(tmp_path)
    assert result.returncode != 0
    assert "started" not in result.stdout
    for variable in (
        "BANDING_SECRET_KEY belum diatur",
        "BANDING_ALLOWED_HOSTS belum diatur",
        "BANDING_PUBLIC_URL harus alamat publik dengan https://",
        "BANDING_SECURE_COOKIES harus true",
        "BANDING_HSTS_SECONDS harus lebih dari 0",
        "BANDING_BEHIND_HTTPS_PROXY (di belakang reverse proxy HTTPS) atau BANDING_SSL_REDIRECT",
    ):
        assert variable in result.stderr


def test_each_missing_production_setting_is_named(tmp_path):
    for missing in PRODUCTION:
        if missing == "BANDING_DEBUG":
            continue
        env = {k: v for k, v in PRODUCTION.items() if k != missing}
        result = serving(tmp_path, **env)
        assert result.returncode != 0, missing
        problems = [line for line in result.stderr.splitlines() if line.startswith("- ")]
        if missing == "BANDING_SSL_REDIRECT":  # behind no proxy either: one of the two
            assert problems == [
                "- BANDING_BEHIND_HTTPS_PROXY (di belakang reverse proxy HTTPS) atau "
                "BANDING_SSL_REDIRECT harus true: Django perlu tahu permintaan datang lewat HTTPS."
            ]
        else:
            assert len(problems) == 1 and problems[0].startswith(f"- {missing} "), problems


def test_a_weak_secret_key_is_refused(tmp_path):
    result = serving(tmp_path, **{**PRODUCTION, "BANDING_SECRET_KEY": "rahasia"})
    assert "BANDING_SECRET_KEY terlalu lemah" in result.stderr


def test_a_server_starts_with_the_production_settings(tmp_path):
    result = serving(tmp_path, **PRODUCTION, **audit_keys(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_a_wsgi_server_refuses_to_start_without_the_audit_log_keys(tmp_path):
    """gunicorn banding.wsgi:application, not through `banding serve`: the system checks run
    when the application loads, so the missing keys stop it rather than every audited
    action failing."""
    result = serving(tmp_path, **PRODUCTION)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "(banding.E120) Kunci log audit tidak ada" in result.stderr


def test_development_needs_nothing(tmp_path):
    for marker in ({"BANDING_DEVELOPMENT": "true"}, {"BANDING_DEBUG": "true"}):
        result = serving(tmp_path, **marker)
        assert result.returncode == 0, result.stderr


def test_the_worker_command_says_what_is_missing_without_a_traceback(tmp_path):
    banding = shutil.which("banding") or str(Path(sys.executable).with_name("banding"))
    result = serving(tmp_path, banding, "worker", "--help")
    assert result.returncode != 0
    assert result.stderr.startswith("banding: Pengaturan produksi belum lengkap")
    assert "Traceback" not in result.stderr
    assert "- BANDING_SECRET_KEY belum diatur" in result.stderr


def test_other_commands_start_and_the_demo_is_development(tmp_path):
    banding = shutil.which("banding") or str(Path(sys.executable).with_name("banding"))
    assert serving(tmp_path, banding, "help", "migrate").returncode == 0
    result = serving(tmp_path, banding, "demo", "--help")
    assert result.returncode == 0, result.stderr


def test_the_limits_can_count_in_a_cache_every_process_shares(tmp_path):
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'banding.settings'; "
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    shared = serving(tmp_path, sys.executable, "-c", script, BANDING_CACHE="database")
    assert shared.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    local = serving(tmp_path, sys.executable, "-c", script)
    assert local.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    unknown = serving(tmp_path, sys.executable, "-c", script, BANDING_CACHE="redis")
    assert unknown.returncode != 0
    assert "BANDING_CACHE tidak dikenal: 'redis'" in unknown.stderr


def test_plain_http_on_a_trusted_network_is_said_explicitly(tmp_path):
    base = {
        "BANDING_SECRET_KEY": PRODUCTION["BANDING_SECRET_KEY"],
        "BANDING_ALLOWED_HOSTS": "192.168.10.7",
        "BANDING_PUBLIC_URL": "http://192.168.10.7:8000",
    }
    assert serving(tmp_path, **base).returncode != 0
    keys = audit_keys(tmp_path)
    assert serving(tmp_path, **base, **keys, BANDING_PLAIN_HTTP="true").returncode == 0
    # the key is still required
    keyless = {k: v for k, v in base.items() if k != "BANDING_SECRET_KEY"}
    result = serving(tmp_path, **keyless, BANDING_PLAIN_HTTP="true")
    assert result.returncode != 0
    assert "BANDING_SECRET_KEY belum diatur" in result.stderr
