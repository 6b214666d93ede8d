"""Issue 17, items 1-2: step 2 must answer who was involved (or say why nobody was), the
appealed team's members count as involved unless the Ketua Tim PJTK records why not, and the
panel has the size the settings ask, one chair, nobody involved."""

import pytest

from banding.appeals import involvement, selectors, services
from banding.appeals.models import Appeal
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import services as letters
from banding.letters.kinds import Kind
from tests.factories import NO_INVOLVED, PASSWORD, register, walk
from tests.portal.helpers import record, submit
from tests.services.test_panel import propose
from tests.state import assert_stands_at, new_events, persona, refused

# --- step 2: the answer is required ----------------------------------------------------------


def test_staff_intake_without_the_answer_is_refused(p):
    error = refused(
        lambda: register(p, no_involved_reason="  "),  # blank: the factory adds no answer
        Invalid,
        involvement.MISSING,
        "involvement_missing",
    )
    assert error.fields == {"involved_persons": [involvement.MISSING]}
    assert not Appeal.objects.exists()


def test_recording_an_online_appeal_without_the_answer_is_refused(p):
    appeal = submit(p)

    refused(
        lambda: services.appeal_record(appeal=appeal, user=p.staff),
        Invalid,
        involvement.MISSING,
        "involvement_missing",
    )
    assert_stands_at(appeal, 2)


def test_nobody_involved_and_someone_named_is_refused(p):
    appeal = submit(p)

    error = refused(
        lambda: record(p, appeal, involved_note="Bapak X, PT Y", no_involved_reason="Tidak ada."),
        Invalid,
        involvement.BOTH,
        "involvement_conflict",
    )
    assert error.fields == {"no_involved_reason": [involvement.BOTH]}


@pytest.mark.parametrize(
    "answer",
    [
        {"no_involved_reason": " Data instrumen saja. "},
        {"involved_note": "Bapak Joko, petugas sampling PT Sampel"},
        {"appealed_team": "team_a"},
        {"involved_persons": ["tech"]},
    ],
)
def test_each_kind_of_answer_is_accepted(p, answer):
    given = {
        name: (
            getattr(p, value)
            if name == "appealed_team"
            else [getattr(p, v) for v in value]
            if name == "involved_persons"
            else value
        )
        for name, value in answer.items()
    }
    appeal = record(p, submit(p), **given)

    assert_stands_at(appeal, 3)
    assert appeal.no_involved_reason == given.get("no_involved_reason", "").strip()
    assert appeal.appealed_team == given.get("appealed_team")
    assert appeal.involved_note == given.get("involved_note", "")


def test_the_answer_is_kept_on_the_appeal_and_in_step_2(p):
    appeal = register(p, appealed_team=p.team_a, involved_note="Ibu Sari (PT Sampel)")

    step = appeal.steps.get(number=2)
    assert (appeal.appealed_team, appeal.involved_note) == (p.team_a, "Ibu Sari (PT Sampel)")
    assert appeal.no_involved_reason == ""
    assert step.outcome == "recorded"
    assert register(p).no_involved_reason == NO_INVOLVED


# --- the appealed team's members are involved -----------------------------------------------


def test_members_of_the_appealed_team_are_involved_and_refused_on_the_panel(p):
    p.team_b.members.add(p.panel[1])
    appeal = walk(p, register(p, appealed_team=p.team_b), 5)

    assert involvement.involved(appeal) == {
        p.tech_other.pk: "anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding,",
        p.panel[1].pk: "anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding,",
    }
    refused(
        lambda: propose(p, appeal),
        Invalid,
        "Panel 2 anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding, sehingga "
        "tidak dapat duduk di Tim Panel Banding (ISO/IEC 17025 7.9.6).",
        "involved_person",
    )


def test_the_lead_records_why_the_team_is_not_involved_and_its_members_may_sit(p):
    p.team_b.members.add(p.panel[1])
    appeal = walk(p, register(p, appealed_team=p.team_b), 5)
    before = Event.objects.count()

    services.team_exempt(appeal=appeal, user=p.lead, reason=" Dikerjakan analis lain. ")

    appeal.refresh_from_db()
    assert (appeal.team_exempt_reason, appeal.team_exempt_by) == ("Dikerjakan analis lain.", p.lead)
    assert new_events(before) == ["involvement.exempted"]
    assert involvement.involved(appeal) == {}
    propose(p, appeal)
    assert appeal.steps.get(completed_at__isnull=True).recorded_outcome == "proposed"


@pytest.mark.parametrize("who", ["staff", "head", "tech", "auditor", "panel_1", "customer"])
def test_only_the_lead_exempts_the_team(p, who):
    appeal = walk(p, register(p, appealed_team=p.team_b), 5)

    refused(
        lambda: services.team_exempt(appeal=appeal, user=persona(p, who), reason="Alasan."),
        Forbidden,
        "Hanya Ketua Tim PJTK yang mencatat alasan anggota tim teknis tidak dianggap terlibat.",
        "not_your_role",
    )


def test_exempting_needs_a_reason_a_team_and_no_panel_yet(p):
    with_team = walk(p, register(p, appealed_team=p.team_b), 5)
    refused(
        lambda: services.team_exempt(appeal=with_team, user=p.lead, reason="  "),
        Invalid,
        "Alasan wajib diisi.",
        "invalid",
    )
    without = walk(p, register(p), 5)
    refused(
        lambda: services.team_exempt(appeal=without, user=p.lead, reason="Alasan."),
        Conflict,
        "Banding ini tidak mencatat tim teknis yang hasil kerjanya dibanding.",
        "no_appealed_team",
    )
    seated = walk(p, register(p, appealed_team=p.team_b), 7)
    refused(
        lambda: services.team_exempt(appeal=seated, user=p.lead, reason="Alasan."),
        Conflict,
        "Tim Panel Banding sudah ditunjuk; keterlibatan tidak dapat diubah lagi.",
        "panel_seated",
    )


def test_an_involved_lead_may_not_exempt(p):
    appeal = walk(p, register(p, appealed_team=p.team_b, involved_persons=[p.lead]), 5)

    refused(
        lambda: services.team_exempt(appeal=appeal, user=p.lead, reason="Alasan."),
        Forbidden,
        "Anda sendiri tercatat terlibat dalam kegiatan yang dibanding.",
        "involved_person",
    )


# --- the panel -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (2, "Tim Panel Banding paling sedikit 3 orang (dipilih 2)."),
        (
            4,
            "Jumlah anggota Tim Panel Banding harus ganjil agar keputusannya tidak seri "
            "(dipilih 4).",
        ),
    ],
)
def test_a_panel_below_the_minimum_or_even_is_refused(p, size, message):
    appeal = walk(p, register(p), 5)

    error = refused(lambda: propose(p, appeal, members=p.panel[:size]), Invalid, message, "invalid")
    assert error.fields == {"members": [message]}


def test_the_size_follows_the_settings(p, settings):
    settings.BANDING_PANEL_MIN_SIZE, settings.BANDING_PANEL_ODD = 5, True
    appeal = walk(p, register(p), 5)
    refused(
        lambda: propose(p, appeal),
        Invalid,
        "Tim Panel Banding paling sedikit 5 orang (dipilih 3).",
        "invalid",
    )
    settings.BANDING_PANEL_MIN_SIZE, settings.BANDING_PANEL_ODD = 2, False
    propose(p, appeal, members=p.panel[:2])
    assert_stands_at(appeal, 5)


def test_the_appointment_is_held_to_the_same_rules(p):
    appeal = walk(p, register(p), 6)

    refused(
        lambda: services.panel_appoint(
            appeal=appeal, user=p.head, members=p.panel[:2], chair=p.panel[0]
        ),
        Invalid,
        "Tim Panel Banding paling sedikit 3 orang (dipilih 2).",
        "invalid",
    )


def test_the_candidates_are_split_with_the_reason_of_those_left_out(p, django_assert_num_queries):
    p.team_b.members.add(p.panel[3])
    appeal = walk(p, register(p, appealed_team=p.team_b, involved_persons=[p.panel[1]]), 5)
    appeal = Appeal.objects.get(pk=appeal.pk)

    with django_assert_num_queries(3):
        eligible, ineligible = selectors.panel_choices(appeal)

    assert p.panel[0] in eligible and p.panel[2] in eligible
    assert p.panel[1] not in eligible and p.panel[3] not in eligible
    assert dict((u, why) for u, why in ineligible) == {
        p.panel[1]: "terlibat dalam kegiatan atau keluhan semula",
        p.panel[3]: "anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding,",
        p.tech_other: "anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding,",
    }


def test_a_member_of_the_appealed_team_does_not_sign_the_panel_letters(p):
    appeal = walk(p, register(p, appealed_team=p.team_a), 5)  # p.tech's own team
    propose(p, appeal)
    draft = letters.letter_draft(appeal=appeal, user=p.tech, kind=Kind.USULAN_PANEL, fields={})

    refused(
        lambda: letters.letter_issue(letter=draft, user=p.tech, password=PASSWORD),
        Forbidden,
        "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menandatangani "
        "Usulan Tim Panel Banding banding ini (ISO/IEC 17025 7.9.6).",
        "involved_person",
    )
