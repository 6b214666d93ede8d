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
