"""A declared conflict of interest: the seat vacated, the Kepala Balai told, a replacement
appointed with its surat tugas update, and the panel acting again only once complete."""

import pytest

from banding.appeals import selectors, services
from banding.appeals.models import PanelRole, PanelSeat
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import render
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.letters.models import Letter, LetterStatus
from banding.notifications.models import Notification
from tests.factories import PASSWORD, pdf, register, walk
from tests.state import assert_stands_at, new_events, refused

REASON = "Saya kerabat pemilik PT Kimia Nusantara."
NOT_DECLARED = (
    "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai anggota "
    "Tim Panel Banding."
)


def vacant_message(name: str) -> str:
    return (
        f"Tim Panel Banding belum lengkap: kursi {name} dikosongkan karena benturan "
        "kepentingan dan menunggu Kepala Balai menunjuk penggantinya. Tim Panel tidak dapat "
        "bertindak sampai lengkap kembali."
    )


def unconfirmed_message(name: str) -> str:
    return (
        f"Tim Panel Banding belum lengkap: penunjukan pengganti ({name}) menunggu surat tugas "
        "yang diperbarui diterbitkan. Tim Panel tidak dapat bertindak sampai lengkap kembali."
    )


def note(appeal, user, text="Memeriksa data mentah."):
    return services.investigation_note(appeal=appeal, user=user, kind="note", text=text)


def at_investigation(p, **register_kwargs):
    return walk(p, register(p, **register_kwargs), 7)


def conflicted(p, appeal, who=None):
    services.panel_declare(appeal=appeal, user=who or p.panel[1], conflict=True, description=REASON)


def test_a_conflict_leads_to_a_replacement_and_the_appeal_goes_on_to_the_end(p):
    appeal = at_investigation(p)
    chair, member, replacement = p.panel[0], p.panel[1], p.panel[3]
    services.panel_declare(appeal=appeal, user=chair)
    events = Event.objects.count()

    seat = services.panel_declare(appeal=appeal, user=member, conflict=True, description=REASON)

    assert (seat.conflict, seat.conflict_description) == (True, REASON)
    assert seat.vacated_at == seat.declared_at
    assert new_events(events) == ["panel.conflict_declared"]
    told = Notification.objects.get(kind="panel_vacancy")
    assert told.recipient == p.head
    assert "Panel 2" in told.message and "tunjuk penggantinya" in told.message
    # The panel cannot act, whoever of it tries; the vacated member no longer plays it.
    refused(lambda: note(appeal, chair), Conflict, vacant_message("Panel 2"), "panel_incomplete")
    with pytest.raises(Forbidden):
        note(appeal, member)

    services.panel_replace(appeal=appeal, user=p.head, vacated=member, member=replacement)

    new = PanelSeat.objects.get(appeal=appeal, user=replacement)
    assert (new.replaces_id, new.role, new.declared_at) == (seat.pk, PanelRole.MEMBER, None)
    draft = Letter.objects.get(appeal=appeal, kind=Kind.PENUNJUKAN_PANEL, status="draft")
    assert draft.version == 2 and draft.supersedes is not None
    assert "Panel 4 menggantikan Panel 2" in draft.correction_reason
    assert new_events(events)[-2:] == ["letter.correction_drafted", "panel.replaced"]
    refused(
        lambda: note(appeal, chair), Conflict, unconfirmed_message("Panel 4"), "panel_incomplete"
    )

    issued = letters.letter_issue(letter=draft, user=p.head, password=PASSWORD)

    html = render.render_html(issued)
    assert "Panel 4" in html and "Panel 4 menggantikan Panel 2" in html
    old = Letter.objects.get(pk=draft.supersedes_id)
    assert old.status == LetterStatus.SUPERSEDED
    # Complete again: the chair acts; the replacement declares before acting.
    note(appeal, chair)
    refused(lambda: note(appeal, replacement), Forbidden, NOT_DECLARED, "declaration_required")
    services.panel_declare(appeal=appeal, user=replacement)
    note(appeal, replacement, "Pengganti memeriksa kalibrasi alat.")
    services.investigation_report(appeal=appeal, user=chair, report=pdf("laporan.pdf"))
    assert_stands_at(appeal, 9)

    appeal = walk(p, appeal, 99)

    assert appeal.status == "closed"


def test_a_conflict_must_be_described(p):
    appeal = at_investigation(p)
    message = "Uraikan benturan kepentingan yang Anda nyatakan."

    error = refused(
        lambda: services.panel_declare(
            appeal=appeal, user=p.panel[1], conflict=True, description="   "
        ),
        Invalid,
        message,
        "description_required",
    )

    assert error.fields == {"description": [message]}


def test_a_vacated_member_declares_no_more(p):
    appeal = at_investigation(p)
    conflicted(p, appeal)

    refused(
        lambda: services.panel_declare(appeal=appeal, user=p.panel[1]),
        Conflict,
        "Anda sudah menyatakan ada benturan kepentingan; kursi Anda dikosongkan.",
        "already_declared",
    )


def test_only_the_head_appoints_a_replacement(p):
    appeal = at_investigation(p)
    conflicted(p, appeal)

    for who in (p.lead, p.staff, p.panel[0], p.tech):
        refused(
            lambda who=who: services.panel_replace(
                appeal=appeal, user=who, vacated=p.panel[1], member=p.panel[3]
            ),
            Forbidden,
            "Pengganti anggota Tim Panel Banding ditunjuk oleh Kepala Balai; Anda tidak "
            "berperan itu.",
            "not_your_role",
        )


def test_a_seat_that_is_not_vacant_cannot_be_replaced(p):
    appeal = at_investigation(p)

    refused(
        lambda: services.panel_replace(
            appeal=appeal, user=p.head, vacated=p.panel[1], member=p.panel[3]
        ),
        Invalid,
        "Panel 2 tidak memegang kursi Tim Panel Banding yang kosong pada banding ini.",
        "no_vacancy",
    )


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("panel_1", "sudah duduk di Tim Panel Banding banding ini"),
        ("panel_2", "menyatakan benturan kepentingan pada banding ini"),
        ("auditor", "bukan pegawai yang dapat duduk di panel"),
        ("customer", "bukan pegawai yang dapat duduk di panel"),
    ],
)
def test_a_replacement_who_may_not_sit_is_refused(p, who, why):
    appeal = at_investigation(p)
    conflicted(p, appeal)
    person = p.panel[int(who[-1]) - 1] if who.startswith("panel_") else getattr(p, who)
    message = f"{person.display_name} {why} sehingga tidak dapat ditunjuk sebagai pengganti."

    error = refused(
        lambda: services.panel_replace(
            appeal=appeal, user=p.head, vacated=p.panel[1], member=person
        ),
        Invalid,
        message,
        "not_eligible",
    )

    assert error.fields == {"member": [message]}


def test_an_involved_replacement_is_refused(p):
    appeal = at_investigation(p, involved=[p.panel[3]])
    conflicted(p, appeal)

    refused(
        lambda: services.panel_replace(
            appeal=appeal, user=p.head, vacated=p.panel[1], member=p.panel[3]
        ),
        Invalid,
        "Panel 4 terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat duduk di Tim "
        "Panel Banding (ISO/IEC 17025 7.9.6).",
        "involved_person",
    )


def test_a_vacated_chair_needs_a_new_chair_among_the_members(p):
    appeal = at_investigation(p)
    conflicted(p, appeal, who=p.panel[0])
    message = "Ketua panel harus salah satu anggota."

    for chair in (None, p.tech):
        refused(
            lambda chair=chair: services.panel_replace(
                appeal=appeal, user=p.head, vacated=p.panel[0], member=p.panel[3], chair=chair
            ),
            Invalid,
            message,
            "invalid",
        )
    services.panel_replace(
        appeal=appeal, user=p.head, vacated=p.panel[0], member=p.panel[3], chair=p.panel[2]
    )

    roles = dict(PanelSeat.objects.seated().values_list("user__username", "role"))
    assert roles == {"panel_2": "member", "panel_3": "chair", "panel_4": "member"}


def test_a_conflicted_person_is_not_offered_again(p):
    appeal = at_investigation(p)
    conflicted(p, appeal)

    eligible, ineligible = selectors.replacement_choices(
        appeal, list(appeal.panel_seats.select_related("user"))
    )

    assert p.panel[3] in eligible
    reasons = {user.username: why for user, why in ineligible}
    assert reasons["panel_2"] == "menyatakan benturan kepentingan pada banding ini"
    assert reasons["panel_1"] == "sudah duduk di Tim Panel Banding banding ini"
    assert not {"panel_1", "panel_2", "panel_3"} & {u.username for u in eligible}
