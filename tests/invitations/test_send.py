"""invitation_send: a declared member of the appeal's panel invites the customer while the
appeal stands at step 7 or 9."""

from __future__ import annotations

import pytest
from django.core import mail

from banding.appeals import services
from banding.appeals.models import PanelInvitation
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.notifications.models import Kind, Mail, Notification
from banding.notifications.outbox import mail_deliver_pending
from tests.factories import make_user, pdf, walk
from tests.invitations.conftest import later, send, send_written
from tests.state import new_events, persona, refused

NOT_PANEL = (
    "Pelanggan diundang oleh anggota Tim Panel Banding yang ditunjuk untuk banding ini; "
    "Anda tidak berperan itu."
)
UNDECLARED = (
    "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai anggota "
    "Tim Panel Banding."
)


def test_a_declared_panel_member_invites_the_customer_to_a_meeting(p, appeal):
    events_before = Event.objects.count()

    invitation = send(p, appeal)

    assert PanelInvitation.objects.get() == invitation
    assert (invitation.mode, invitation.place, invitation.invited_by) == (
        "meeting",
        "Ruang Rapat 2, Gedung B",
        p.panel[1],
    )
    assert invitation.meeting_at == later(days=3)
    assert invitation.response == "" and invitation.responded_at is None
    assert new_events(events_before) == ["invitation.sent"]
    event = Event.objects.last()
    assert event.public is True
    assert event.step == 7
    assert event.summary == (
        "Tim Panel Banding mengundang pelanggan: hadir dalam pertemuan Jumat, 13 Maret 2026 "
        "pukul 09:00 WIB di Ruang Rapat 2, Gedung B"
    )
    assert event.data["invitation"] == str(invitation.public_id)


def test_a_written_invitation_needs_only_a_deadline(p, appeal):
    invitation = send_written(p, appeal, place="diabaikan", meeting_at=later(days=1))

    assert (invitation.mode, invitation.meeting_at, invitation.place) == ("written", None, "")
    assert invitation.respond_by == later(days=5)
    assert Event.objects.last().summary == (
        "Tim Panel Banding mengundang pelanggan: menyampaikan penjelasan tertulis paling lambat "
        "Minggu, 15 Maret 2026 pukul 09:00 WIB"
    )


def test_the_panel_may_still_invite_at_its_meeting_step_9(p, appeal):
    services.investigation_report(appeal=appeal, user=p.panel[1], report=pdf("laporan.pdf"))
    appeal.refresh_from_db()
    assert appeal.current_step == 9

    invitation = send(p, appeal)

    assert Event.objects.filter(action="invitation.sent").get().step == 9
    assert invitation.appeal == appeal


def test_the_customer_accounts_get_a_notice_and_the_contact_an_email(p, appeal):
    colleague = make_user("pelanggan_dua", organization=p.org, email="dua@kimia.example")
    p.customer.email = "satu@kimia.example"
    p.customer.save()

    send(p, appeal)

    notices = Notification.objects.filter(kind=Kind.PANEL_INVITATION)
    assert sorted(n.recipient.username for n in notices) == ["pelanggan", "pelanggan_dua"]
    assert {n.message for n in notices} == {
        f"Banding {appeal.number}: Tim Panel Banding mengundang Anda untuk hadir dalam "
        "pertemuan Jumat, 13 Maret 2026 pukul 09:00 WIB di Ruang Rapat 2, Gedung B."
    }
    # Never to the other organisation, never to staff.
    assert not notices.filter(recipient__in=[p.customer_other, p.staff, p.panel[1]]).exists()
    mails = Mail.objects.filter(kind="panel_invitation")
    assert sorted(m.to_address for m in mails) == [
        "budi@kimia.example",  # the appeal's contact, who has no account
        "dua@kimia.example",
        "satu@kimia.example",
    ]
    assert colleague.notifications.get().url == f"/portal/banding/{appeal.public_id}/"


def test_the_invitation_mail_says_when_where_and_how_to_answer(p, appeal):
    mail.outbox.clear()
    send(p, appeal)

    mail_deliver_pending()

    sent = [m for m in mail.outbox if "undangan" in m.subject]
    assert len(sent) == 1
    message = sent[0]
    assert message.subject == f"[SiBanding] Banding {appeal.number}: undangan Tim Panel Banding"
    assert "Waktu           : Jumat, 13 Maret 2026 pukul 09:00 WIB" in message.body
    assert "Tempat          : Ruang Rapat 2, Gedung B" in message.body
    assert "Mohon membawa data hasil uji laboratorium Anda." in message.body
    assert f"/portal/banding/{appeal.public_id}/" in message.body
    html = message.alternatives[0].content
    assert "konfirmasikan kehadiran Anda" in html
    assert Event.objects.filter(action="email.sent", public=True).exists()


@pytest.mark.parametrize(
    "who", ["staff", "lead", "head", "auditor", "admin", "tech", "panel_4", "customer"]
)
def test_only_the_appeals_panel_invites(p, appeal, who):
    refused(lambda: send(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")
    assert not PanelInvitation.objects.exists()


def test_a_member_who_has_not_declared_may_not_invite_yet(p, appeal):
    refused(lambda: send(p, appeal, user=p.panel[2]), Forbidden, UNDECLARED, "declaration_required")


def test_a_deactivated_member_may_not_invite(p, appeal):
    p.panel[1].is_active = False
    p.panel[1].save()
    refused(lambda: send(p, appeal), Forbidden, NOT_PANEL, "not_your_role")


def test_no_invitation_outside_steps_7_and_9(p, appeal):
    appeal = walk(p, appeal, 10)

    refused(
        lambda: send(p, appeal),
        Conflict,
        "Pelanggan diundang selama investigasi (langkah 7) atau rapat panel (langkah 9); "
        f"banding {appeal.number} sedang berada di langkah 10 (Persetujuan keputusan).",
        "wrong_step",
    )


def test_no_invitation_on_a_closed_appeal(p, appeal):
    appeal = walk(p, appeal, 13)

    refused(
        lambda: send(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; pelanggan tidak dapat diundang lagi.",
        "appeal_closed",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"mode": "telepon"},
            "mode",
            "Pilih bentuk undangan: hadir dalam pertemuan atau penjelasan tertulis.",
        ),
        ({"meeting_at": None}, "meeting_at", "Waktu pertemuan wajib diisi."),
        (
            {"meeting_at": "past"},
            "meeting_at",
            "Waktu pertemuan harus di masa depan.",
        ),
        ({"place": "  "}, "place", "Tempat pertemuan wajib diisi."),
        (
            {"respond_by": "after"},
            "respond_by",
            "Batas konfirmasi kehadiran harus di masa depan dan tidak setelah pertemuan.",
        ),
        (
            {"mode": "written", "respond_by": None},
            "respond_by",
            "Batas waktu penjelasan tertulis wajib diisi.",
        ),
        (
            {"mode": "written", "respond_by": "past"},
            "respond_by",
            "Batas waktu penjelasan tertulis harus di masa depan.",
        ),
    ],
)
def test_the_terms_of_an_invitation_are_checked(p, appeal, overrides, field, message):
    overrides = dict(overrides)
    if overrides.get("meeting_at") == "past":
        overrides["meeting_at"] = later(minutes=-1)
    if overrides.get("respond_by") == "after":
        overrides["respond_by"] = later(days=4)  # the meeting is in three days
    elif overrides.get("respond_by") == "past":
        overrides["respond_by"] = later(minutes=-1)
    error = refused(lambda: send(p, appeal, **overrides), Invalid, message, "invalid")
    assert error.fields == {field: [message]}
    assert not PanelInvitation.objects.exists()
    assert not Mail.objects.filter(kind="panel_invitation").exists()
    assert not Notification.objects.filter(kind=Kind.PANEL_INVITATION).exists()
