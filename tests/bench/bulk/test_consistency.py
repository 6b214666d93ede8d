"""The generated history agrees with the product: denormalised current step, deadlines and
working time, register and letter numbers, the audit chain, the full-text table, foreign
keys, real files."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, User
from banding.accounts.roles import Role
from banding.appeals import deadlines, services, similar
from banding.appeals.models import Appeal, Document, RegisterSequence, Status, Step
from banding.audit.models import ChainHead, Event
from banding.audit.verify import verify_log
from banding.letters import numbering
from banding.letters.kinds import Kind
from banding.letters.models import Letter, LetterSequence
from banding.sop import definition as sop
from banding.workdays.calendar import load_calendar
from bench.bulk import files, people
from bench.bulk.load import seed_bulk
from bench.bulk.timeline import OPEN_STEPS
from tests.bench.bulk.conftest import APPEALS
from tests.factories import pdf


def test_it_writes_what_it_reports(seeded):
    assert seeded.appeals == APPEALS
    assert seeded.rows["appeal"] == Appeal.objects.count() == APPEALS
    assert seeded.rows["step"] == Step.objects.count()
    assert seeded.rows["event"] == Event.objects.count()
    assert seeded.rows["chain"] == ChainHead.objects.count()
    assert seeded.rows["document"] == Document.objects.count()
    assert seeded.rows["letter"] == Letter.objects.count()


def test_it_generates_both_branches_in_realistic_shares(seeded):
    statuses = Counter(Appeal.objects.values_list("status", flat=True))
    assert 0.6 * APPEALS < statuses[Status.CLOSED] < 0.85 * APPEALS
    assert 0.1 * APPEALS < statuses[Status.REJECTED] < 0.35 * APPEALS
    assert 0 < statuses[Status.OPEN] < 0.1 * APPEALS
    rejected = Appeal.objects.filter(status=Status.REJECTED)
    assert not rejected.filter(relevant=True).exists()
    assert Step.objects.filter(number=4, outcome="rejected").count() == rejected.count()
    # A decision returned at step 10 reopens step 9: a second occurrence of it.
    assert Step.objects.filter(number=10, outcome="returned").exists()
    returned = Step.objects.filter(number=10, outcome="returned").values("appeal_id")
    assert all(
        Step.objects.filter(appeal_id=row["appeal_id"], number=9).count() == 2 for row in returned
    )


def test_open_appeals_stand_at_every_step_some_at_risk_or_overdue(all_open):
    open_ = Appeal.objects.filter(status=Status.OPEN)
    assert open_.count() == APPEALS
    assert set(open_.values_list("current_step", flat=True)) == set(OPEN_STEPS)
    now = timezone.now()
    states = Counter(deadlines.state_of(a.current_due_at, a.current_at_risk_at, now) for a in open_)
    assert states[deadlines.DeadlineState.ON_TIME] > APPEALS / 3
    assert states[deadlines.DeadlineState.AT_RISK] > 0
    assert states[deadlines.DeadlineState.OVERDUE] > 0


def test_each_appeal_stands_where_its_steps_say(seeded):
    open_steps = {s.appeal_id: s for s in Step.objects.filter(completed_at__isnull=True)}
    for appeal in Appeal.objects.all():
        step = open_steps.get(appeal.pk)
        if appeal.status == Status.OPEN:
            assert step is not None, appeal.number
            assert (
                appeal.current_step,
                appeal.current_actor,
                appeal.current_since,
                appeal.current_due_at,
                appeal.current_at_risk_at,
            ) == (step.number, step.actor, step.started_at, step.due_at, step.at_risk_at)
            assert appeal.closed_at is None
        else:
            assert step is None, appeal.number
            assert appeal.closed_at is not None
            last = appeal.steps.order_by("-completed_at", "-id").first()
            assert appeal.closed_at == last.completed_at
            assert (last.number, last.outcome) == (
                (12, "closed") if appeal.status == Status.CLOSED else (4, "rejected")
            )
            assert appeal.current_step is None and appeal.current_actor == ""
            assert appeal.current_due_at is None and appeal.current_since is None


def test_deadlines_and_working_time_are_the_products(seeded):
    calendar = load_calendar()
    late = 0
    for step in Step.objects.all():
        deadline = deadlines.deadline_for(step.number, step.started_at, calendar)
        assert (step.due_at, step.at_risk_at) == (deadline.due_at, deadline.at_risk_at), step.pk
        assert step.actor == sop.step(step.number).actor
        if step.completed_at is None:
            assert step.working_minutes is None and step.within_standard is None
            continue
        assert step.working_minutes == deadlines.working_minutes(
            step.started_at, step.completed_at, calendar
        )
        assert step.within_standard == (step.completed_at <= step.due_at)
        late += not step.within_standard
    assert late > 0  # the monitoring report has late steps to show


def test_steps_follow_the_sop(seeded):
    by_appeal = defaultdict(list)
    for step in Step.objects.order_by("started_at", "id"):
        by_appeal[step.appeal_id].append(step)
    for steps in by_appeal.values():
        assert steps[0].number == 1
        for before, after in itertools.pairwise(steps):
            if before.completed_at is None:
                pytest.fail("a step follows an open one")
            expected = sop.step(before.number).outcome(before.outcome).next_step
            if before.number == 1:
                expected = 2
            assert after.number == expected
            if before.number >= 2:
                assert after.started_at == before.completed_at


def test_register_and_letter_numbers_are_unique_and_their_sequences_advanced(seeded):
    numbers = list(Appeal.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for year, last in RegisterSequence.objects.values_list("year", "last"):
        sequences = sorted(Appeal.objects.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, last + 1))  # gapless
    letters = Letter.objects.exclude(number="")
    assert letters.count() == len(set(letters.values_list("number", flat=True))) > 0
    for kind, year, last in LetterSequence.objects.values_list("kind", "year", "last"):
        sequences = sorted(
            Letter.objects.filter(kind=kind, year=year).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, last + 1))


def test_an_intake_and_a_letter_after_seeding_take_the_next_numbers(seeded):
    staff = User.objects.get(username="staf")
    organization = Appeal.objects.first().organization
    appeal = services.appeal_register(
        user=staff,
        organization=organization,
        contact_name="Narahubung Uji",
        channel="email",
        received_at=timezone.now(),
        complaint_reference="KEL/UJI/1",
        complaint_outcome_date=timezone.localdate(),
        service_type="pengujian",
        grounds="Hasil uji kadar air berbeda.",
        remedy_sought="Uji ulang.",
        no_involved_reason="Tidak ada pegawai yang terlibat.",
        letter=pdf(),
    )
    year = timezone.localdate().year
    assert appeal.sequence == RegisterSequence.objects.get(year=year).last
    assert Appeal.objects.filter(year=year, sequence=appeal.sequence).count() == 1
    kind = Letter.objects.filter(year=year).values_list("kind", flat=True).first()
    assert kind is not None
    with transaction.atomic():
        sequence, number = numbering.take(kind, timezone.localdate())
    assert not Letter.objects.filter(number=number).exists()
    assert sequence == Letter.objects.filter(kind=kind, year=year).count() + 1


def test_the_audit_chain_verifies_and_its_heads_are_right(seeded):
    verdict = verify_log()
    assert verdict.ok, verdict.broken.describe()
    assert verdict.count == Event.objects.count()
    call_command("audit", "verify")
    assert ChainHead.objects.count() == APPEALS
    for head in ChainHead.objects.all()[:50]:
        events = Event.objects.filter(appeal_id=head.chain).order_by("id")
        assert head.count == events.count()
        assert (head.last_event_id, head.last_hash) == (events.last().pk, events.last().hash)


def test_foreign_keys_hold(seeded):
    connection.check_constraints()  # SQLite: foreign_key_check; PostgreSQL: immediate


def test_documents_and_letters_are_real_files(seeded):
    for doc in Document.objects.all():
        with default_storage.open(doc.file.name, "rb") as f:
            content = f.read()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (doc.size, doc.sha256)
        assert content[:4] in (b"%PDF", b"\x89PNG")
    issued = Letter.objects.exclude(pdf="")
    for name, digest in set(issued.values_list("pdf", "sha256")):
        with default_storage.open(name, "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == digest
    # A file of its own for each kind issued.
    assert issued.values("pdf").distinct().count() == issued.values("kind").distinct().count()
    assert set(files.LETTERS) == set(Kind.values)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_full_text_table_follows_the_appeals(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, grounds FROM appeals_appeal_fts ORDER BY rowid")
        indexed = cursor.fetchall()
    assert indexed == list(Appeal.objects.order_by("pk").values_list("pk", "grounds"))


def test_running_twice_adds_more_and_never_collides(seeded, now):
    again = seed_bulk(appeals=100, seed=7, now=now)
    assert Appeal.objects.count() == APPEALS + again.appeals
    assert Appeal.objects.values("public_id").distinct().count() == APPEALS + again.appeals
    assert verify_log().ok
    test_register_and_letter_numbers_are_unique_and_their_sequences_advanced(None)


def test_a_second_run_finds_the_organisations_of_the_first(db, now, monkeypatch):
    """The first run also creates the staff accounts; the second finds the same
    organisations all the same, and creates none twice."""
    monkeypatch.setattr(people, "MIN_ORGANIZATIONS", 3)
    monkeypatch.setattr(people, "APPEALS_PER_ORGANIZATION", 2)
    seed_bulk(appeals=30, seed=8, now=now)
    organizations = set(CustomerOrganization.objects.values_list("pk", "public_id"))
    users = User.objects.count()
    seed_bulk(appeals=30, seed=8, now=now)
    assert set(CustomerOrganization.objects.values_list("pk", "public_id")) == organizations
    assert User.objects.count() == users
    seed_bulk(appeals=40, seed=8, now=now)  # five more
    assert CustomerOrganization.objects.count() == len(organizations) + 5


def test_it_makes_sure_the_demo_accounts_exist(seeded):
    head = User.objects.get(username="kepala")
    assert head.groups.filter(name=Role.HEAD).exists()
    assert User.objects.filter(username__in=["staf", "ketua", "pelanggan.sinar"]).count() == 3


def test_similar_appeals_are_found_by_their_words(seeded):
    appeal = Appeal.objects.filter(status=Status.CLOSED).first()
    found = similar.similar_to(appeal)
    assert found
    assert any("kata yang sama dalam alasan" in s.reasons for s in found)
