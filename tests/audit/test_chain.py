"""The hash chain of the audit log: written by record(), checked by `banding audit verify`."""

from datetime import UTC, datetime
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from banding.audit.chain import GENESIS, hash_of
from banding.audit.log import Entry, record, record_all, record_each
from banding.audit.models import ChainHead, Event
from tests.factories import register, walk


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def iso(event: Event) -> str:
    return event.created_at.astimezone(UTC).isoformat()


def test_each_event_carries_the_hash_of_the_appeals_event_before(p):
    appeal = walk(p, register(p), 7)
    register(p)  # another appeal: its own chain
    events = list(Event.objects.filter(appeal=appeal).order_by("id"))
    assert events[0].prev_hash == GENESIS
    for before, event in pairwise(events):
        assert event.prev_hash == before.hash
        assert event.hash == hash_of(event)
    head = ChainHead.objects.get(chain=appeal.pk)
    assert (head.last_hash, head.last_event_id, head.count) == (
        events[-1].hash,
        events[-1].pk,
        len(events),
    )


def test_verify_says_ok_with_the_count(p):
    walk(p, register(p), 7)
    assert verify() == f"OK: rantai log audit utuh, {Event.objects.count()} peristiwa diperiksa.\n"


def test_verify_of_an_empty_log_is_ok(db):
    assert verify() == "OK: rantai log audit utuh, 0 peristiwa diperiksa.\n"


def test_an_edited_event_makes_verify_fail_and_name_it(p):
    walk(p, register(p), 7)
    target = Event.objects.order_by("id")[2]
    Event.objects.filter(pk=target.pk).update(summary="Ringkasan yang dipalsukan")
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        f"Rantai log audit RUSAK: peristiwa #{target.pk} ({iso(target)}, {target.action}): "
        "isi peristiwa telah diubah."
    )


def test_an_edit_whose_mac_is_rewritten_with_the_key_breaks_at_the_next_event(p):
    walk(p, register(p), 7)
    target, following = Event.objects.order_by("id")[1:3]
    target.data = {"forged": True}
    Event.objects.filter(pk=target.pk).update(data=target.data, hash=hash_of(target))
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        f"Rantai log audit RUSAK: peristiwa #{following.pk} ({iso(following)}, "
        f"{following.action}): rantai putus sebelum peristiwa ini: ada peristiwa yang dihapus "
        f"di tengah rantai antara #{target.pk} dan peristiwa ini."
    )


def test_a_deleted_event_makes_verify_fail_and_name_where(p):
    walk(p, register(p), 7)
    before, removed, after = Event.objects.order_by("id")[1:4]
    Event.objects.filter(pk=removed.pk).delete()
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        f"Rantai log audit RUSAK: peristiwa #{after.pk} ({iso(after)}, {after.action}): "
        "rantai putus sebelum peristiwa ini: ada peristiwa yang dihapus di tengah rantai antara "
        f"#{before.pk} dan peristiwa ini."
    )


def test_deleting_the_last_event_is_seen_from_the_chain_head(p):
    register(p)
    events = list(Event.objects.order_by("id"))
    Event.objects.filter(pk=events[-1].pk).delete()
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        f"Rantai log audit RUSAK: banding id {events[-1].appeal_id}: peristiwa terakhir rantai "
        f"dihapus: ujung rantai mencatat {len(events)} peristiwa sampai #{events[-1].pk}, "
        f"tetapi rantai berisi {len(events) - 1} sampai #{events[-2].pk}."
    )


def test_a_deleted_chain_head_is_not_silently_restarted(p):
    appeal = register(p)
    ChainHead.objects.filter(chain=appeal.pk).delete()
    with transaction.atomic():
        event = record(action="register.exported", summary="Uji", appeal=appeal)
    assert event.prev_hash == GENESIS
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"peristiwa #{event.pk} " in str(failure.value)


def test_a_chain_whose_events_are_all_gone_is_named(p):
    with transaction.atomic():
        record(action="register.exported", summary="Uji")
    Event.objects.filter(appeal=None).delete()
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value).startswith(
        "Rantai log audit RUSAK: seluruh peristiwa rantai peristiwa tanpa banding dihapus: "
        "ujung rantainya mencatat 1 peristiwa"
    )


def test_events_of_different_appeals_never_share_a_chain(p):
    first, second = register(p), register(p)
    assert Event.objects.filter(appeal=second).order_by("id").first().prev_hash == GENESIS
    assert Event.objects.filter(appeal=first).order_by("id").first().prev_hash == GENESIS
    assert verify().startswith("OK:")


def test_data_with_datetimes_hashes_as_stored(p):
    moment = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    with transaction.atomic():
        record(action="register.exported", summary="Uji", actor=p.staff, data={"at": moment})
    event = Event.objects.get(action="register.exported")
    assert event.data == {"at": "2026-03-17T03:00:00Z"}
    assert event.hash == hash_of(event)


def test_record_costs_the_same_queries_however_long_the_log(p, django_assert_num_queries):
    appeal = register(p)
    # Lock the head, insert the event, move the head: three, with few or 50 more events before.
    for _ in range(2):
        with transaction.atomic(), django_assert_num_queries(3):
            record(action="register.exported", summary="Uji", actor=p.staff, appeal=appeal)
        with transaction.atomic():
            for _ in range(49):
                record(action="case.exported", summary="Isi", appeal=appeal)


def test_an_appeals_first_event_starts_its_chain(p, django_assert_num_queries):
    # No head yet: the claim creates it at the genesis; insert, move the head. Three, as for
    # every later event.
    with transaction.atomic(), django_assert_num_queries(3):
        record(action="register.exported", summary="Uji")


def test_record_all_writes_several_events_in_order_in_three_queries(p, django_assert_num_queries):
    appeal = register(p)
    before = Event.objects.filter(appeal=appeal).count()
    entries = [
        Entry(action=f"step.{i}.recorded", summary=f"Uji {i}", actor=p.staff) for i in range(4)
    ]
    with transaction.atomic(), django_assert_num_queries(3):
        written = record_all(appeal, entries)

    events = list(Event.objects.filter(appeal=appeal).order_by("id"))
    assert [e.action for e in events[before:]] == [f"step.{i}.recorded" for i in range(4)]
    assert [e.pk for e in written] == [e.pk for e in events[before:]]
    for previous, event in pairwise(events):
        assert event.prev_hash == previous.hash
    head = ChainHead.objects.get(chain=appeal.pk)
    assert (head.last_event_id, head.count) == (events[-1].pk, len(events))
    assert verify() == f"OK: rantai log audit utuh, {Event.objects.count()} peristiwa diperiksa.\n"


def test_record_each_writes_the_events_of_several_chains_in_three_queries(
    p, django_assert_num_queries
):
    first, second = register(p), register(p)
    entries = [Entry(action=f"step.{i}.pending", summary=f"Uji {i}") for i in range(2)]
    with transaction.atomic(), django_assert_num_queries(3):
        written = record_each([(first, entries), (None, entries[:1]), (second, entries)])

    assert [(e.appeal_id, e.action) for e in written] == [
        (first.pk, "step.0.pending"),
        (first.pk, "step.1.pending"),
        (None, "step.0.pending"),
        (second.pk, "step.0.pending"),
        (second.pk, "step.1.pending"),
    ]
    for appeal in (first, second):
        events = list(Event.objects.filter(appeal=appeal).order_by("id"))
        head = ChainHead.objects.get(chain=appeal.pk)
        assert (head.last_event_id, head.last_hash, head.count) == (
            events[-1].pk,
            events[-1].hash,
            len(events),
        )
    assert verify() == f"OK: rantai log audit utuh, {Event.objects.count()} peristiwa diperiksa.\n"
