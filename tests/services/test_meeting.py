"""Step 9 is the panel's: attendance per seat, the quorum, the meeting's time, the reasons,
dissenting opinions (panel_decide, panel_dissent), and the attendance list and minutes made
from that record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import access, services
from banding.appeals.models import Decision, PanelSeat
from banding.appeals.services import meeting
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.formats import format_wib
from banding.letters import render
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.sop.definition import Actor
from tests.factories import issued, present_seats, register, walk
from tests.state import new_events, refused


@pytest.fixture
def appeal(p):
    """At step 9, three seats (p.panel[0] the chair, who declared); p.panel[1] declares too."""
    appeal = walk(p, register(p), 9)
    services.panel_declare(appeal=appeal, user=p.panel[1])
    return appeal


def decide(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.panel[0],
        meeting_at=timezone.now(),
        place="Ruang Rapat 2",
        attendance=present_seats(appeal),
        minutes="Panel membahas laporan investigasi.",
        decision=Decision.ACCEPTED,
        reasons="Penyimpangan prosedur terbukti.",
        remedy="Pengujian ulang tanpa biaya.",
    )
    fields.update(overrides)
    return services.panel_decide(**fields)


def recorded(appeal):
    return appeal.steps.get(completed_at__isnull=True).recorded_data


def invalid(p, appeal, code, message, field="attendance", **overrides):
    error = refused(lambda: decide(p, appeal, **overrides), Invalid, message, code)
    assert error.fields == {field: [message]}


def test_a_quorate_meeting_is_recorded_with_its_seats_and_others_present(p, appeal):
    decide(
        p,
        appeal,
        attendance=present_seats(appeal, absent=[p.panel[2]]),
        guests=[{"name": " Sari ", "role": "Notulis"}, {"name": " ", "role": "x"}],
    )

    data = recorded(appeal)
    assert [(r["seat"], r["name"], r["role"], r["present"]) for r in data["attendance"]] == [
        (1, p.panel[0].display_name, "Ketua", True),
        (2, p.panel[1].display_name, "Anggota", True),
        (3, p.panel[2].display_name, "Anggota", False),
    ]
    assert data["guests"] == [{"name": "Sari", "role": "Notulis"}]
    assert data["quorum"] == {"seats": 3, "present": 2, "required": 2}


def test_one_member_alone_is_not_a_quorum(p, appeal):
    invalid(
        p,
        appeal,
        "no_quorum",
        "Rapat panel tidak kuorum: hadir 1 dari 3 anggota, paling sedikit 2 termasuk ketua.",
        user=p.panel[1],  # a member, not the chair, records a meeting the chair alone held
        attendance=[{"member": str(p.panel[0].public_id), "present": True}],
    )


def test_others_present_do_not_make_a_quorum(p, appeal):
    invalid(
        p,
        appeal,
        "no_quorum",
        "Rapat panel tidak kuorum: hadir 1 dari 3 anggota, paling sedikit 2 termasuk ketua.",
        attendance=present_seats(appeal, absent=p.panel[1:3]),
        guests=[{"name": "Sari", "role": "Notulis"}, {"name": "Budi", "role": "Ahli"}],
    )


def test_the_chair_must_be_present(p, appeal):
    invalid(
        p,
        appeal,
        "no_quorum",
        "Rapat panel tidak kuorum: ketua panel harus hadir.",
        user=p.panel[1],
        attendance=present_seats(appeal, absent=[p.panel[0]]),
    )


def test_the_quorum_follows_the_setting(p, appeal, settings):
    settings.BANDING_PANEL_QUORUM = 3
    invalid(
        p,
        appeal,
        "no_quorum",
        "Rapat panel tidak kuorum: hadir 2 dari 3 anggota, paling sedikit 3 termasuk ketua.",
        attendance=present_seats(appeal, absent=[p.panel[2]]),
    )
    decide(p, appeal)
    assert recorded(appeal)["quorum"] == {"seats": 3, "present": 3, "required": 3}


def test_a_quorum_setting_above_the_seats_asks_for_every_seat(settings):
    settings.BANDING_PANEL_QUORUM = 9
    assert meeting.required(3) == 3
    settings.BANDING_PANEL_QUORUM = 0
    assert [meeting.required(n) for n in (1, 3, 4, 5)] == [1, 2, 3, 3]


def test_someone_not_on_the_panel_cannot_be_on_the_attendance_list(p, appeal):
    invalid(
        p,
        appeal,
        "not_on_panel",
        "Daftar hadir hanya memuat anggota Tim Panel Banding banding ini.",
        attendance=[
            *present_seats(appeal),
            {"member": str(p.panel[3].public_id), "present": True},
        ],
    )


def test_a_seat_cannot_be_listed_twice(p, appeal):
    chair = p.panel[0]
    invalid(
        p,
        appeal,
        "duplicate_seat",
        f"{chair.display_name} tercantum lebih dari sekali.",
        attendance=[
            *present_seats(appeal),
            {"member": str(chair.public_id), "present": False},
        ],
    )


def test_the_meeting_cannot_precede_the_panels_appointment(p, appeal):
    appointed = max(s.appointed_at for s in PanelSeat.objects.filter(appeal=appeal))
    invalid(
        p,
        appeal,
        "meeting_before_panel",
        f"Waktu rapat tidak boleh sebelum Tim Panel Banding ditunjuk ({format_wib(appointed)}).",
        field="meeting_at",
        meeting_at=appointed - timedelta(minutes=1),
    )


def test_the_meeting_cannot_be_in_the_future(p, appeal):
    invalid(
        p,
        appeal,
        "invalid",
        "Waktu rapat tidak boleh di masa depan.",
        field="meeting_at",
        meeting_at=timezone.now() + timedelta(minutes=5),
    )


def test_a_member_whose_seat_was_vacated_may_not_record(p, appeal):
    PanelSeat.objects.filter(appeal=appeal, user=p.panel[1]).update(
        vacated_at=timezone.now(), conflict=True
    )
    # A vacated seat is no seat: the member no longer plays the panel's part.
    refused(
        lambda: decide(p, appeal, user=p.panel[1]),
        Forbidden,
        access.actor_refusal(Actor.TPB, 9),
        "not_your_role",
    )


def test_a_present_members_dissent_is_recorded_and_in_the_minutes(p, appeal):
    second = p.panel[1]
    decide(
        p,
        appeal,
        dissent=[{"member": str(second.public_id), "opinion": " Bukti belum cukup. "}],
    )

    assert recorded(appeal)["dissent"] == [
        {
            "member": str(second.public_id),
            "name": second.display_name,
            "opinion": "Bukti belum cukup.",
        }
    ]
    minutes = letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.NOTULEN)
    html = render.render_html(minutes)
    assert "Pendapat berbeda (dissenting opinion)" in html
    assert f"{second.display_name}: Bukti belum cukup." in html
    assert "Penyimpangan prosedur terbukti." in html  # the reasons


def test_an_absent_member_cannot_dissent(p, appeal):
    third = p.panel[2]
    invalid(
        p,
        appeal,
        "dissent_not_present",
        "Pendapat berbeda hanya dari anggota Tim Panel Banding yang hadir.",
        field="dissent",
        attendance=present_seats(appeal, absent=[third]),
        dissent=[{"member": str(third.public_id), "opinion": "Tidak setuju."}],
    )


def test_a_member_adds_their_own_dissent_while_the_letters_are_drafts(p, appeal):
    decide(p, appeal)
    draft = letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.NOTULEN)
    events = Event.objects.count()

    services.panel_dissent(appeal=appeal, user=p.panel[1], opinion="Remedi terlalu luas.")

    assert [d["opinion"] for d in recorded(appeal)["dissent"]] == ["Remedi terlalu luas."]
    assert new_events(events) == ["panel.dissented"]
    draft.refresh_from_db()
    assert "Remedi terlalu luas." in render.render_html(draft)


def test_a_dissent_is_refused_once_the_minutes_are_issued(p, appeal):
    decide(p, appeal)
    minutes = issued(appeal, Kind.NOTULEN, p.panel[0], p.panel[0])
    refused(
        lambda: services.panel_dissent(appeal=appeal, user=p.panel[1], opinion="Tidak setuju."),
        Conflict,
        f"Notulen rapat panel {minutes.number} sudah terbit dari hasil langkah 9 yang dicatat; "
        "cabut dahulu surat itu untuk mengubah hasilnya.",
        "output_issued",
    )


def test_a_dissent_needs_the_meeting_recorded_first(p, appeal):
    refused(
        lambda: services.panel_dissent(appeal=appeal, user=p.panel[1], opinion="Tidak setuju."),
        Conflict,
        "Catat dahulu hasil rapat panel; pendapat berbeda ditambahkan pada catatan itu.",
        "record_missing",
    )


def test_an_absent_member_may_not_add_a_dissent(p, appeal):
    decide(p, appeal, attendance=present_seats(appeal, absent=[p.panel[1]]))
    refused(
        lambda: services.panel_dissent(appeal=appeal, user=p.panel[1], opinion="Tidak setuju."),
        Invalid,
        "Pendapat berbeda hanya dari anggota Tim Panel Banding yang hadir.",
        "dissent_not_present",
    )


def test_only_the_panel_adds_a_dissent(p, appeal):
    decide(p, appeal)
    refused(
        lambda: services.panel_dissent(appeal=appeal, user=p.lead, opinion="Tidak setuju."),
        Forbidden,
        "Langkah 9 (Rapat panel dan keputusan) dikerjakan oleh anggota Tim Panel Banding yang "
        "ditunjuk untuk banding ini; Anda tidak berperan itu.",
        "not_your_role",
    )


def test_the_attendance_list_is_made_from_the_record(p, appeal):
    decide(
        p,
        appeal,
        attendance=present_seats(appeal, absent=[p.panel[2]]),
        guests=[{"name": "Sari Notulis", "role": "Sekretaris"}],
    )
    html = render.render_html(
        letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.DAFTAR_HADIR)
    )

    for number, person, role, presence in (
        (1, p.panel[0], "Ketua", "Hadir"),
        (2, p.panel[1], "Anggota", "Hadir"),
        (3, p.panel[2], "Anggota", "Tidak hadir"),
    ):
        assert (
            f"<tr><td>{number}</td><td>{person.display_name}</td><td>{role}</td>"
            f"<td>{presence}</td></tr>"
        ) in html
    assert "<td>Sari Notulis</td><td>Sekretaris</td><td>Hadir</td>" in html
    assert "Kuorum: hadir 2 dari 3 anggota (paling sedikit 2, termasuk ketua)." in html
