"""Steps 5-6 and the declaration: panel_propose, panel_appoint, panel_declare."""

import pytest

from banding.appeals import services
from banding.appeals.models import PanelSeat
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters.kinds import Kind
from tests.factories import issued, make_user, register, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    capture,
    new_events,
    persona,
    refused,
)

NOT_TEAM = (
    "Langkah 5 (Usulan Tim Panel Banding) dikerjakan oleh anggota Bagian/Tim Teknis yang dituju "
    "banding ini; Anda tidak berperan itu."
)
NOT_HEAD = (
    "Langkah 6 (Penunjukan Tim Panel Banding) dikerjakan oleh Kepala Balai; "
    "Anda tidak berperan itu."
)
NOT_MEMBER = "Hanya anggota Tim Panel Banding banding ini yang membuat pernyataan."


def involved_refusal(name: str) -> str:
    return (
        f"{name} terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat duduk di Tim "
        "Panel Banding (ISO/IEC 17025 7.9.6)."
    )


def propose(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.tech,
        members=p.panel[:3],
        chair=p.panel[0],
        note="Dikoordinasikan dengan Kepala Balai.",
    )
    fields.update(overrides)
    return services.panel_propose(**fields)


def appoint(p, appeal, **overrides):
    fields = dict(appeal=appeal, user=p.head, members=p.panel[:3], chair=p.panel[0])
    fields.update(overrides)
    return services.panel_appoint(**fields)


def proposed(p, appeal, **overrides):
    """The proposal recorded, its letter issued, step 5 completed."""
    propose(p, appeal, **overrides)
    issued(appeal, Kind.USULAN_PANEL, p.tech, p.tech)
    return services.step_complete(appeal=appeal, user=p.tech, number=5)


def appointed(p, appeal, **overrides):
    """The appointment recorded, its surat tugas issued, step 6 completed."""
    appoint(p, appeal, **overrides)
    issued(appeal, Kind.PENUNJUKAN_PANEL, p.head, p.head)
    return services.step_complete(appeal=appeal, user=p.head, number=6)


# --- step 5: proposal ----------------------------------------------------------------------


def test_the_technical_team_proposes_a_panel_and_the_head_appoints_next(p):
    appeal = walk(p, register(p), 5)
    events = Event.objects.count()

    propose(p, appeal)

    assert_stands_at(appeal, 5)  # recorded: its letter is made from it
    assert new_events(events) == ["step.5.pending"]
    letter = issued(appeal, Kind.USULAN_PANEL, p.tech, p.tech)
    services.step_complete(appeal=appeal, user=p.tech, number=5)

    assert_stands_at(appeal, 6)
    step = assert_completed(appeal, 5, by=p.tech, outcome="proposed")
    assert step.data == {
        "members": [str(m.public_id) for m in p.panel[:3]],
        "chair": str(p.panel[0].public_id),
        "note": "Dikoordinasikan dengan Kepala Balai.",
        "names": ["Panel 1", "Panel 2", "Panel 3"],
        "chair_name": "Panel 1",
        "outputs": [
            {
                "kind": "usulan_panel",
                "letter": str(letter.public_id),
                "number": letter.number,
                "sha256": letter.sha256,
            }
        ],
    }
    assert services.panel_proposal(appeal) == (p.panel[:3], p.panel[0])
    assert not PanelSeat.objects.exists()  # a proposal seats no one
    assert new_events(events)[-1] == "step.5.proposed"
    assert Event.objects.last().summary == "Usulan Tim Panel Banding: Panel 1, Panel 2, Panel 3"


def test_a_member_named_twice_is_refused(p):
    appeal = walk(p, register(p), 5)
    message = "Seorang anggota dipilih lebih dari sekali: Panel 1."

    error = refused(
        lambda: propose(p, appeal, members=[p.panel[0], p.panel[1], p.panel[0], p.panel[2]]),
        Invalid,
        message,
        "duplicate_seat",
    )

    assert error.fields == {"members": [message]}


@pytest.mark.parametrize(
    ("members", "chair", "field", "message"),
    [
        ([], None, "members", "Pilih sedikitnya satu anggota panel."),
        ([0, 1], None, "chair", "Ketua panel harus salah satu anggota."),
        ([0, 1], 2, "chair", "Ketua panel harus salah satu anggota."),
    ],
)
def test_the_proposal_needs_members_and_a_chair_among_them(p, members, chair, field, message):
    appeal = walk(p, register(p), 5)
    chosen = [p.panel[i] for i in members]
    chair_user = None if chair is None else p.panel[chair]

    error = refused(
        lambda: propose(p, appeal, members=chosen, chair=chair_user), Invalid, message, "invalid"
    )

    assert error.fields == {field: [message]}


@pytest.mark.parametrize("who", ["head", "auditor", "admin", "customer"])
def test_only_staff_who_can_sit_on_panels_may_be_proposed(p, who):
    appeal = walk(p, register(p), 5)
    outsider = persona(p, who)
    message = f"{outsider.display_name} bukan pegawai yang dapat duduk di panel."

    refused(
        lambda: propose(p, appeal, members=[p.panel[0], outsider], chair=p.panel[0]),
        Invalid,
        message,
        "invalid",
    )


def test_an_inactive_account_may_not_be_proposed(p):
    appeal = walk(p, register(p), 5)
    gone = make_user("pensiun", "technical", first_name="Pegawai Pensiun", is_active=False)

    refused(
        lambda: propose(p, appeal, members=[gone], chair=gone),
        Invalid,
        "Pegawai Pensiun bukan pegawai yang dapat duduk di panel.",
        "invalid",
    )


def test_an_involved_person_cannot_be_proposed(p):
    appeal = walk(p, register(p, involved=[p.panel[1]]), 5)

    error = refused(
        lambda: propose(p, appeal), Invalid, involved_refusal("Panel 2"), "involved_person"
    )

    assert error.fields == {"members": ["Pihak yang terlibat tidak dapat ditunjuk."]}


def test_a_technical_member_of_another_team_may_not_propose(p):
    appeal = walk(p, register(p), 5)

    refused(lambda: propose(p, appeal, user=p.tech_other), Forbidden, NOT_TEAM, "not_your_role")


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "panel_1"])
def test_other_roles_may_not_propose(p, who):
    # panel_1 has the technical role but belongs to no team.
    appeal = walk(p, register(p), 5)

    refused(lambda: propose(p, appeal, user=persona(p, who)), Forbidden, NOT_TEAM, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_propose(p, who):
    appeal = walk(p, register(p), 5)

    refused(lambda: propose(p, appeal, user=persona(p, who)), Forbidden, NOT_TEAM, "not_your_role")


def test_the_team_may_not_propose_again_once_the_proposal_is_made(p):
    appeal = walk(p, register(p), 6)

    refused(
        lambda: propose(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 6 (Penunjukan Tim Panel Banding), "
        "bukan langkah 5 (Usulan Tim Panel Banding).",
        "wrong_step",
    )


def test_the_team_may_not_propose_on_a_closed_appeal(p):
    appeal = walk(p, register(p), 13)

    refused(
        lambda: propose(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; langkah 5 (Usulan Tim Panel Banding) tidak "
        "dapat dikerjakan lagi.",
        "appeal_closed",
    )


# --- step 6: appointment -------------------------------------------------------------------


def test_the_head_appoints_the_proposed_panel(p):
    appeal = walk(p, register(p), 6)
    events = Event.objects.count()

    appoint(p, appeal)

    assert_stands_at(appeal, 6)
    assert not appeal.panel_seats.exists()  # seated when the step completes
    assert new_events(events) == ["step.6.pending"]
    issued(appeal, Kind.PENUNJUKAN_PANEL, p.head, p.head)
    services.step_complete(appeal=appeal, user=p.head, number=6)

    assert_stands_at(appeal, 7)
    seats = list(appeal.panel_seats.order_by("pk").values_list("user", "role", "declared_at"))
    assert seats == [
        (p.panel[0].pk, "chair", None),
        (p.panel[1].pk, "member", None),
        (p.panel[2].pk, "member", None),
    ]
    step = assert_completed(appeal, 6, by=p.head, outcome="appointed")
    assert step.data["changed"] is False
    assert [o["kind"] for o in step.data["outputs"]] == ["penunjukan_panel"]
    assert new_events(events)[-1] == "step.6.appointed"
    assert Event.objects.last().summary == "Tim Panel Banding ditunjuk: Panel 1, Panel 2, Panel 3"


def test_the_head_may_change_the_proposal(p):
    appeal = walk(p, register(p), 6)

    appointed(p, appeal, members=p.panel[1:], chair=p.panel[3])

    assert set(appeal.panel_seats.values_list("user", flat=True)) == {m.pk for m in p.panel[1:]}
    assert appeal.panel_seats.get(role="chair").user == p.panel[3]
    assert assert_completed(appeal, 6, by=p.head, outcome="appointed").data["changed"] is True
    assert Event.objects.last().summary == (
        "Tim Panel Banding ditunjuk: Panel 2, Panel 3, Panel 4 (usulan diubah)"
    )


def test_choosing_another_chair_is_a_change_of_the_proposal(p):
    appeal = walk(p, register(p), 6)

    appointed(p, appeal, chair=p.panel[2])

    assert assert_completed(appeal, 6, by=p.head, outcome="appointed").data["changed"] is True


def test_the_head_cannot_appoint_an_involved_person(p):
    appeal = walk(p, register(p, involved=[p.panel[3]]), 6)

    refused(
        lambda: appoint(p, appeal, members=p.panel[1:], chair=p.panel[1]),
        Invalid,
        involved_refusal("Panel 4"),
        "involved_person",
    )


def test_the_appointed_chair_must_be_a_member(p):
    appeal = walk(p, register(p), 6)

    refused(
        lambda: appoint(p, appeal, chair=p.panel[3]),
        Invalid,
        "Ketua panel harus salah satu anggota.",
        "invalid",
    )


@pytest.mark.parametrize("who", ["staff", "lead", "auditor", "admin", "tech", "panel_1"])
def test_other_roles_may_not_appoint(p, who):
    appeal = walk(p, register(p), 6)

    refused(lambda: appoint(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_appoint(p, who):
    appeal = walk(p, register(p), 6)

    refused(lambda: appoint(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role")


@pytest.mark.parametrize(
    ("at", "title"), [(5, "Usulan Tim Panel Banding"), (7, "Investigasi banding")]
)
def test_the_head_may_appoint_only_at_step_6(p, at, title):
    appeal = walk(p, register(p), at)

    refused(
        lambda: appoint(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah {at} ({title}), "
        "bukan langkah 6 (Penunjukan Tim Panel Banding).",
        "wrong_step",
    )


# --- the declaration of no conflict of interest ---------------------------------------------


def test_a_panel_member_declares_no_conflict_of_interest(p):
    appeal = walk(p, register(p), 7)
    before = capture()

    seat = services.panel_declare(appeal=appeal, user=p.panel[1])

    assert seat.declared_at is not None
    assert appeal.panel_seats.get(user=p.panel[1]).declared_at == seat.declared_at
    assert appeal.panel_seats.filter(declared_at__isnull=True).count() == 2
    assert new_events(before.events) == ["panel.declared"]
    event = Event.objects.last()
    assert (event.actor, event.appeal, event.step) == (p.panel[1], appeal, 7)
    assert event.summary == "Panel 2 menyatakan bebas benturan kepentingan"
    after = capture()
    # The declaration changes no step and no appeal column.
    assert (after.appeals, after.steps) == (before.appeals, before.steps)


@pytest.mark.parametrize("who", ["panel_4", "staff", "lead", "head", "tech", "customer"])
def test_only_members_of_this_panel_declare(p, who):
    appeal = walk(p, register(p), 7)

    refused(
        lambda: services.panel_declare(appeal=appeal, user=persona(p, who)),
        Forbidden,
        NOT_MEMBER,
        "not_your_role",
    )


def test_a_member_of_another_panel_does_not_declare_here(p):
    walk(p, register(p), 7)
    other = walk(p, register(p), 6)
    appointed(p, other, members=p.panel[1:], chair=p.panel[3])

    refused(
        lambda: services.panel_declare(appeal=other, user=p.panel[0]),
        Forbidden,
        NOT_MEMBER,
        "not_your_role",
    )


def test_nobody_declares_before_the_panel_is_appointed(p):
    appeal = walk(p, register(p), 6)

    refused(
        lambda: services.panel_declare(appeal=appeal, user=p.panel[0]),
        Forbidden,
        NOT_MEMBER,
        "not_your_role",
    )


def test_a_member_declares_once(p):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1])

    refused(
        lambda: services.panel_declare(appeal=appeal, user=p.panel[1]),
        Conflict,
        "Anda sudah menyatakan bebas benturan kepentingan.",
        "already_declared",
    )


def test_nobody_declares_on_a_closed_appeal(p):
    appeal = walk(p, register(p), 13)  # only the chair declared on the way

    refused(
        lambda: services.panel_declare(appeal=appeal, user=p.panel[1]),
        Conflict,
        f"Banding {appeal.number} sudah selesai.",
        "appeal_closed",
    )
