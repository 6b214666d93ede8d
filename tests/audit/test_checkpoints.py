"""Signed checkpoints: written by the worker's job when due and at every evidence-pack export,
mailed to the auditors; the keys they need are asked for at start-up."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.checks import run_checks
from django.db import transaction
from django.utils import timezone

from banding.archive.export import export_case
from banding.audit import keys
from banding.audit.checkpoint import checkpoint_files, checkpoint_sweep, load_checkpoint
from banding.audit.checks import NO_MAC_KEY, NO_SIGNING_KEY
from banding.audit.log import record
from banding.audit.models import ChainHead, Event
from banding.notifications.models import Mail
from banding.platform.management.commands.worker import JOBS
from tests.factories import register


def test_the_worker_writes_a_checkpoint_when_the_last_is_a_day_old(p, settings):
    assert "titik periksa log audit" in [job.name for job in JOBS]
    appeal = register(p)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert checkpoint_sweep().startswith("titik periksa titik-periksa-")
        assert checkpoint_sweep() == ""  # not again within the day
        clock.shift(timedelta(hours=23))
        assert checkpoint_sweep() == ""
        clock.shift(timedelta(hours=1, seconds=1))
        assert checkpoint_sweep()
    assert len(checkpoint_files()) == 2
    checkpoint = load_checkpoint(checkpoint_files()[-1], keys.public_key())
    head = ChainHead.objects.get(chain=appeal.pk)
    assert checkpoint.count == Event.objects.count()
    assert checkpoint.max_id == Event.objects.order_by("-id").first().pk
    assert [(c.chain, c.last_event_id, c.last_mac, c.count) for c in checkpoint.chains] == [
        (head.chain, head.last_event_id, head.last_hash, head.count)
    ]
    assert checkpoint.reason == "terjadwal"


def test_the_checkpoint_hours_are_a_setting(p, settings):
    settings.BANDING_AUDIT_CHECKPOINT_HOURS = 0  # off
    assert checkpoint_sweep() == ""
    assert checkpoint_files() == []


def test_each_checkpoint_is_mailed_to_the_active_auditors(p):
    p.auditor.email = "auditor@contoh.example"
    p.auditor.save()
    p.staff.email = "staf@contoh.example"  # not an auditor
    p.staff.save()
    with transaction.atomic():
        record(action="register.exported", summary="Uji", actor=p.staff)
    checkpoint_sweep()
    (mail,) = Mail.objects.filter(kind="audit_checkpoint")
    assert mail.to_user == p.auditor
    (path,) = checkpoint_files()
    assert mail.context["name"] == path.name
    assert json.loads(mail.context["checkpoint"]) == json.loads(path.read_text())


def test_every_evidence_pack_export_writes_a_checkpoint_with_its_own_event(p):
    appeal = register(p)
    export_case(appeal, user=p.auditor).close()
    (path,) = checkpoint_files()
    checkpoint = load_checkpoint(path, keys.public_key())
    exported = Event.objects.get(appeal=appeal, action="case.exported")
    assert checkpoint.reason == "ekspor paket bukti"
    assert checkpoint.max_id == exported.pk


def _errors(ids: set[str]) -> list:
    return [m for m in run_checks() if m.id in ids]


def test_production_refuses_to_start_without_the_keys(db, settings, tmp_path):
    settings.DEBUG = False
    settings.BANDING_AUDIT_KEY = ""
    settings.BANDING_AUDIT_KEY_FILE = tmp_path / "tidak-ada.keys"
    settings.BANDING_AUDIT_SIGNING_KEY_FILE = tmp_path / "tidak-ada.pem"
    mac, signing = _errors({NO_MAC_KEY, NO_SIGNING_KEY})
    assert mac.id == NO_MAC_KEY and "BANDING_AUDIT_KEY" in mac.msg
    assert "BANDING_AUDIT_KEY_FILE" in mac.msg
    assert signing.id == NO_SIGNING_KEY and "BANDING_AUDIT_SIGNING_KEY_FILE" in signing.msg
    assert not Path(settings.BANDING_AUDIT_KEY_FILE).exists()


def test_a_malformed_key_is_refused_naming_the_variable(db, settings):
    settings.DEBUG = False
    settings.BANDING_AUDIT_KEY = "k1:c2luZ2thdA=="  # 7 bytes
    (error,) = _errors({NO_MAC_KEY})
    assert error.msg.startswith("BANDING_AUDIT_KEY: rahasia kunci k1 hanya 7 bita")


def test_with_debug_the_key_files_are_made_on_first_use(db, settings, tmp_path):
    settings.DEBUG = True
    settings.BANDING_AUDIT_KEY = ""
    settings.BANDING_AUDIT_KEY_FILE = tmp_path / "keys" / "audit-mac.keys"
    settings.BANDING_AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "audit-checkpoint.pem"
    assert _errors({NO_MAC_KEY, NO_SIGNING_KEY}) == []
    with transaction.atomic():
        event = record(action="register.exported", summary="Uji")
    key_file = Path(settings.BANDING_AUDIT_KEY_FILE)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert event.key_id == key_file.read_text().split(":", 1)[0]
    assert keys.signing_key_file().exists()


def test_keygen_rotates_the_file_keyring(db, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.BANDING_AUDIT_KEY = ""
    settings.BANDING_AUDIT_KEY_FILE = tmp_path / "audit-mac.keys"
    call_command("audit", "keygen", stdout=StringIO())
    (first,) = keys.keyring().keys
    out = StringIO()
    call_command("audit", "keygen", "--rotate", stdout=out)
    ring = keys.keyring()
    assert next(iter(ring.keys)) == first and ring.signing != first
    assert f"Kunci MAC baru {ring.signing}" in out.getvalue()


@pytest.mark.parametrize("text", ["tanpa-titik-dua", "k1:bukan base64!", "# kosong"])
def test_a_keyring_that_cannot_be_read_is_refused(text):
    with pytest.raises(keys.MissingKey):
        keys.parse_keyring(text, "BANDING_AUDIT_KEY")
