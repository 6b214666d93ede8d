"""Tampering with the audit log by someone who can write its database but holds neither the MAC
key nor the checkpoint signing key (a database administrator): each makes `banding audit
verify` fail and say what was done (docs/archive.md)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from banding.audit import keys
from banding.audit.chain import GENESIS, event_hash, event_mac, fields_of, hash_of
from banding.audit.log import record
from banding.audit.models import ChainHead, Event
from tests.factories import register, walk


def verify(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=err)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    return str(failure.value)


def checkpoint() -> None:
    call_command("audit", "checkpoint", stdout=StringIO())


def chain(appeal) -> list[Event]:
    if appeal is None:
        return list(Event.objects.filter(appeal=None).order_by("id"))
    return list(Event.objects.filter(appeal=appeal).order_by("id"))


def set_head(appeal, events: list[Event]) -> None:
    number = appeal.pk if appeal is not None else ChainHead.NO_APPEAL
    ChainHead.objects.filter(chain=number).update(
        last_hash=events[-1].hash, last_event_id=events[-1].pk, count=len(events)
    )


def every_chain():
    """Each chain: its appeal (None for the events of no appeal) and its events."""
    appeals = {e.appeal for e in Event.objects.select_related("appeal")}
    for appeal in appeals:
        yield appeal, chain(appeal)


def rechain(appeal, events: list[Event], start: int, seal) -> None:
    """Recompute the chain from `start` on with `seal` (event -> (key_id, hash)), as one without
    the key would, and set the head to match."""
    prev = events[start - 1].hash if start else GENESIS
    for event in events[start:]:
        event.prev_hash = prev
        event.key_id, event.hash = seal(event)
        Event.objects.filter(pk=event.pk).update(
            prev_hash=event.prev_hash, key_id=event.key_id, hash=event.hash
        )
        prev = event.hash
    set_head(appeal, events)


@pytest.fixture
def appeal(p):
    appeal = walk(p, register(p), 7)
    register(p)  # another appeal, untouched
    with transaction.atomic():
        record(action="register.exported", summary="Uji", actor=p.staff)  # no appeal's chain
    return appeal


def test_with_the_key_and_no_tampering_verify_passes_against_the_checkpoint(appeal):
    checkpoint()
    with transaction.atomic():
        record(action="case.exported", summary="Sesudah titik periksa", appeal=appeal)
    out = verify()
    assert out.startswith(f"OK: rantai log audit utuh, {Event.objects.count()} peristiwa")
    assert "Cocok dengan titik periksa titik-periksa-" in out
    assert all(e.key_id == "test-1" for e in Event.objects.all())


def test_an_edited_field_is_named(appeal):
    checkpoint()
    target = chain(appeal)[3]
    Event.objects.filter(pk=target.pk).update(data={"decision": "dipalsukan"})
    message = refused()
    assert f"peristiwa #{target.pk} " in message
    assert "isi peristiwa telah diubah" in message


@pytest.mark.parametrize(
    ("position", "named", "says"),
    [
        (0, 1, "peristiwa pertama rantai dihapus"),
        (4, 5, "dihapus di tengah rantai antara"),
    ],
)
def test_a_removed_first_or_middle_event_is_named(appeal, position, named, says):
    checkpoint()
    events = chain(appeal)
    Event.objects.filter(pk=events[position].pk).delete()
    message = refused()
    assert f"peristiwa #{events[named].pk} " in message
    assert says in message


def test_a_removed_last_event_is_named_from_the_head(appeal):
    last = chain(appeal)[-1].pk
    Event.objects.filter(pk=last).delete()
    message = refused()
    assert f"banding id {appeal.pk}: peristiwa terakhir rantai dihapus" in message
    assert f"sampai #{last}, tetapi" in message


def test_a_truncated_chain_with_its_head_set_back_is_named_from_the_checkpoint(appeal):
    checkpoint()
    events = chain(appeal)
    Event.objects.filter(pk__in=[e.pk for e in events[-2:]]).delete()
    set_head(appeal, events[:-2])
    message = refused()
    assert f"banding id {appeal.pk}: rantai dipotong dan ujungnya dimundurkan" in message
    assert f"{len(events)} peristiwa sampai #{events[-1].pk}, kini {len(events) - 2}" in message


def test_a_whole_chain_deleted_with_its_head_is_named_from_the_checkpoint(appeal):
    checkpoint()
    count = Event.objects.filter(appeal=appeal).count()
    Event.objects.filter(appeal=appeal).delete()
    ChainHead.objects.filter(chain=appeal.pk).delete()
    message = refused()
    assert f"seluruh rantai banding id {appeal.pk} dihapus beserta ujungnya" in message
    assert f"{count} peristiwa dihapus" in message  # the log's count, too


def test_reordered_events_are_named(appeal):
    checkpoint()
    events = chain(appeal)
    first, second = events[2], events[3]
    columns = ["actor_id", "action", "step", "summary", "data", "public", "created_at"]
    columns += ["prev_hash", "hash", "key_id"]
    Event.objects.filter(pk=first.pk).update(**{c: getattr(second, c) for c in columns})
    Event.objects.filter(pk=second.pk).update(**{c: getattr(first, c) for c in columns})
    message = refused()
    assert f"peristiwa #{first.pk} " in message
    assert "urutan peristiwa diubah" in message


def test_a_chain_recomputed_with_plain_sha256_is_named_as_rewritten(appeal):
    events = chain(appeal)
    events[3].summary = "Ringkasan yang dipalsukan"
    Event.objects.filter(pk=events[3].pk).update(summary=events[3].summary)
    rechain(appeal, events, 3, lambda e: (None, hash_of(_legacy(e))))
    message = refused()
    assert f"peristiwa #{events[3].pk} " in message
    assert "peristiwa tanpa kunci (SHA-256 biasa) sesudah peristiwa berkunci" in message
    assert "ditulis ulang tanpa kunci" in message


def test_a_chain_recomputed_with_another_key_is_named_as_rewritten(appeal):
    events = chain(appeal)
    forged = b"bukan kunci yang sebenarnya, tetapi cukup panjang...."
    rechain(appeal, events, 2, lambda e: (e.key_id, event_mac(forged, **fields_of(e))))
    message = refused()
    assert f"peristiwa #{events[2].pk} " in message
    assert "rantai dihitung ulang dari sini tanpa kunci yang sah" in message


def test_a_whole_log_rewritten_as_legacy_is_refused_by_the_checkpoint(appeal):
    checkpoint()
    for chained, events in every_chain():
        rechain(chained, events, 0, lambda e: (None, hash_of(_legacy(e))))
    message = refused()
    assert "sesudah log memakai kunci" in message


def test_a_forged_checkpoint_signature_is_refused(appeal, settings):
    checkpoint()
    (path,) = settings.BANDING_AUDIT_CHECKPOINT_DIR.glob("titik-periksa-*.json")
    document = json.loads(path.read_text())
    document["chains"] = [c for c in document["chains"] if c[0] != appeal.pk]
    document["events"]["count"] -= Event.objects.filter(appeal=appeal).count()
    path.write_text(json.dumps(document))
    message = refused()
    assert f"{path.name}: tanda tangan titik periksa TIDAK SAH" in message


def test_a_checkpoint_signed_with_another_key_is_refused(appeal, settings, tmp_path):
    genuine, theirs = tmp_path / "asli.pem", tmp_path / "lain.pem"
    genuine.write_text(keys.public_pem())  # the public key the auditors keep
    settings.BANDING_AUDIT_SIGNING_KEY_FILE = tmp_path / "kunci-lain.pem"
    keys.create_keys()
    theirs.write_text(keys.public_pem())
    checkpoint()  # signed with a key of the attacker's making
    assert "tanda tangan titik periksa TIDAK SAH" in refused("--public-key", str(genuine))
    assert verify("--public-key", str(theirs)).startswith("OK:")


def test_the_public_key_printed_verifies_the_checkpoints(appeal, tmp_path):
    out = StringIO()
    call_command("audit", "public-key", stdout=out)
    pem, fingerprint = out.getvalue().split("Sidik (SHA-256): ")
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert fingerprint.strip() == keys.fingerprint()
    public = tmp_path / "publik.pem"
    public.write_text(pem)
    checkpoint()
    assert "Cocok dengan titik periksa" in verify("--public-key", str(public))


def test_key_rotation_keeps_old_events_verifying(appeal, settings):
    old = settings.BANDING_AUDIT_KEY
    settings.BANDING_AUDIT_KEY = f"{old}\n{keys.new_key_line('test-2').strip()}"
    with transaction.atomic():
        newer = record(action="case.exported", summary="Sesudah rotasi", appeal=appeal)
    assert newer.key_id == "test-2"
    assert {e.key_id for e in chain(appeal)} == {"test-1", "test-2"}
    checkpoint()
    assert verify().startswith("OK:")
    # Without the old key, its events can no longer be verified: said, not passed.
    settings.BANDING_AUDIT_KEY = keys.new_key_line("test-2").strip()
    assert "kunci 'test-1' tidak dikenal" in refused()


def test_legacy_events_verify_before_the_first_keyed_one(appeal):
    """A log written before the key (plain SHA-256, key_id NULL) still verifies, and the events
    written after the upgrade continue its chains with the key."""
    for chained, events in every_chain():
        rechain(chained, events, 0, lambda e: (None, event_hash(**fields_of(e, keyed=False))))
    assert not Event.objects.filter(key_id__isnull=False).exists()
    assert verify().startswith("OK:")
    with transaction.atomic():
        keyed = record(action="case.exported", summary="Sesudah kunci", appeal=appeal)
    assert keyed.key_id == "test-1" and keyed.prev_hash == chain(appeal)[-2].hash
    assert verify().startswith("OK:")


def _legacy(event: Event) -> Event:
    event.key_id = None
    return event
