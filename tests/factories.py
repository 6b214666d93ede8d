"""Test data built through the real services (never by writing rows behind their back)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Appeal, Channel, Decision, ServiceType
from banding.appeals.services import considered
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.letters.models import Letter
from banding.sop import definition as sop

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "rahasia-uji-123"  # every test user's (make_user)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "surat-banding.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_user(username: str, *roles: str, organization=None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=extra.pop("first_name", username.replace("_", " ").title()),
        organization=organization,
        **extra,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass
class Personas:
    """Everyone an appeal meets, as in healthchecks' base test case."""

    staff: User
    lead: User
    head: User
    auditor: User
    admin: User
    tech: User  # member of team_a
    tech_other: User  # member of team_b only
    panel: list[User]  # four staff who can sit on a panel
    customer: User  # contact of org
    customer_other: User  # contact of org_other
    team_a: TechnicalTeam
    team_b: TechnicalTeam
    org: CustomerOrganization
    org_other: CustomerOrganization

    def everyone(self) -> list[User]:
        return [
            self.staff,
            self.lead,
            self.head,
            self.auditor,
            self.admin,
            self.tech,
            self.tech_other,
            *self.panel,
            self.customer,
            self.customer_other,
        ]


def make_personas() -> Personas:
    team_a = TechnicalTeam.objects.create(code="pengujian", name="Tim Pengujian")
    team_b = TechnicalTeam.objects.create(code="kalibrasi", name="Tim Kalibrasi")
    org = CustomerOrganization.objects.create(name="PT Kimia Nusantara")
    org_other = CustomerOrganization.objects.create(name="PT Farmasi Sejahtera")
    tech = make_user("teknis_a", Role.TECHNICAL)
    team_a.members.add(tech)
    tech_other = make_user("teknis_b", Role.TECHNICAL)
    team_b.members.add(tech_other)
    panel = [make_user(f"panel_{i}", Role.TECHNICAL) for i in range(1, 5)]
    return Personas(
        staff=make_user("staff", Role.PJTK_STAFF),
        lead=make_user("ketua", Role.PJTK_LEAD),
        head=make_user("kepala", Role.HEAD),
        auditor=make_user("auditor", Role.AUDITOR),
        admin=make_user("admin", Role.ADMIN, is_staff=True),
        tech=tech,
        tech_other=tech_other,
        panel=panel,
        customer=make_user("pelanggan", organization=org),
        customer_other=make_user("pelanggan_lain", organization=org_other),
        team_a=team_a,
        team_b=team_b,
        org=org,
        org_other=org_other,
    )


NO_INVOLVED = "Hasil uji dibaca dari data instrumen; tidak ada pegawai yang terlibat."
# Step 2's answer: any of these given, or NO_INVOLVED.
ANSWER = ("involved_persons", "involved_note", "appealed_team", "no_involved_reason")


def register(p: Personas, *, involved=(), **overrides) -> Appeal:
    now = timezone.now()
    fields = dict(
        user=p.staff,
        organization=p.org,
        contact_name="Budi Santoso",
        contact_email="budi@kimia.example",
        channel=Channel.EMAIL,
        received_at=now - timedelta(hours=1),
        complaint_reference="KEL/2026/017",
        complaint_outcome_date=(now - timedelta(days=10)).date(),
        service_type=ServiceType.TESTING,
        reference_document="LHU-2026-0456",
        grounds="Hasil uji kadar air tidak sesuai dengan hasil laboratorium kami.",
        remedy_sought="Pengujian ulang dengan sampel arsip.",
        involved_persons=list(involved),
        letter=pdf(),
        # Many tests register several appeals of one complaint: past the duplicate warning
        # (tests/services/test_duplicates.py tests the warning itself).
        confirm_new=True,
    )
    fields.update(overrides)
    if not any(fields.get(name) for name in ANSWER):  # step 2's answer is required
        fields["no_involved_reason"] = NO_INVOLVED
    return services.appeal_register(**fields)


def issued(appeal: Appeal, kind: str, drafter: User, signer: User, **fields) -> Letter:
    """A letter of `kind` drafted by `drafter` and issued by `signer` (who confirms with the
    test password)."""
    letter = letters.letter_draft(appeal=appeal, user=drafter, kind=kind, fields=fields)
    return letters.letter_issue(letter=letter, user=signer, password=PASSWORD)


def verify_relevant(p: Personas, appeal: Appeal, *, team: TechnicalTeam | None = None) -> Appeal:
    """Step 3 the relevant way: recorded, its nota dinas issued, completed."""
    services.appeal_verify(
        appeal=appeal,
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=True,
        reasons="Banding relevan.",
        technical_team=team or p.team_a,
        **similar_confirmed(appeal),
    )
    issued(appeal, Kind.NOTA_DINAS, p.lead, p.lead)
    return services.step_complete(appeal=appeal, user=p.lead, number=3)


def not_relevant(p: Personas, appeal: Appeal, reasons: str = "Di luar lingkup banding.") -> Appeal:
    """Step 3 the other way: completed at once, the appeal at step 4."""
    services.appeal_verify(
        appeal=appeal,
        user=p.lead,
        checklist={},
        relevant=False,
        reasons=reasons,
        **similar_confirmed(appeal),
    )
    appeal.refresh_from_db()
    return appeal


def rejection_letter(p: Personas, appeal: Appeal) -> Letter:
    """Step 4's output: the rejection letter, prepared by the staff and signed by the head."""
    return issued(appeal, Kind.PENOLAKAN, p.staff, p.head)


def reject(p: Personas, appeal: Appeal, **delivery) -> Appeal:
    """Step 4: the rejection letter issued (the head signs it) and delivered by e-mail."""
    rejection_letter(p, appeal)
    fields = {"delivered_at": timezone.now(), "channel": Channel.EMAIL, **delivery}
    return services.appeal_reject(appeal=appeal, user=p.staff, **fields)


def propose(p: Personas, appeal: Appeal, members=None, chair=None) -> Appeal:
    members = members or p.panel[:3]
    services.panel_propose(
        appeal=appeal, user=p.tech, members=members, chair=chair or members[0], note="Koordinasi."
    )
    issued(appeal, Kind.USULAN_PANEL, p.tech, p.tech)
    return services.step_complete(appeal=appeal, user=p.tech, number=5)


def appoint(p: Personas, appeal: Appeal, members=None, chair=None) -> Appeal:
    """Step 6: the head appoints; the surat tugas is signed by the head, or on the head's
    behalf by the team leader where the head is recorded as involved."""
    members = members or p.panel[:3]
    services.panel_appoint(appeal=appeal, user=p.head, members=members, chair=chair or members[0])
    involved = appeal.involved_persons.filter(pk=p.head.pk).exists()
    issued(appeal, Kind.PENUNJUKAN_PANEL, p.head, p.lead if involved else p.head)
    return services.step_complete(appeal=appeal, user=p.head, number=6)


def present_seats(appeal: Appeal, absent: Sequence[User] = ()) -> list[dict]:
    """Step 9's attendance: every seat of the panel as it sits present but `absent`."""
    return [
        {"member": str(s.user.public_id), "present": s.user not in absent}
        for s in appeal.panel_seats.seated().select_related("user")
    ]


def similar_confirmed(appeal: Appeal) -> dict:
    """Steps 3 and 9: every similar earlier appeal shown confirmed as considered."""
    shown = [i["id"] for i in considered.shown(appeal)]
    return {"similar_considered": shown, "similar_confirmed": bool(shown)}


def decide(p: Personas, appeal: Appeal, *, decision: str = Decision.PARTLY, **overrides) -> Appeal:
    """Step 9 by the chair: the meeting recorded, its attendance list and minutes issued."""
    chair = p.panel[0]
    fields = dict(
        # Not before the panel was appointed (with the clock frozen, that is now).
        meeting_at=timezone.now(),
        place="Ruang Rapat 1",
        attendance=present_seats(appeal),
        minutes="Panel membahas hasil investigasi.",
        decision=decision,
        reasons="Hasil investigasi menunjukkan penyimpangan prosedur.",
        remedy="" if decision == Decision.DISMISSED else "Pengujian ulang tanpa biaya.",
        **similar_confirmed(appeal),
    )
    fields.update(overrides)
    services.panel_decide(appeal=appeal, user=chair, **fields)
    issued(appeal, Kind.DAFTAR_HADIR, chair, chair)
    issued(appeal, Kind.NOTULEN, chair, chair)
    return services.step_complete(appeal=appeal, user=chair, number=9)


def decision_letter(p: Personas, appeal: Appeal) -> Letter:
    """Step 10's output: the decision letter, signed by the head."""
    return issued(appeal, Kind.KEPUTUSAN, p.head, p.head, pertimbangan="Hasil investigasi panel.")


def approve(p: Personas, appeal: Appeal) -> Appeal:
    """Step 10: the head signs the decision letter and approves it."""
    decision_letter(p, appeal)
    return services.decision_approve(appeal=appeal, user=p.head, disposition="Tindak lanjuti.")


def delivery_letter(p: Personas, appeal: Appeal) -> Letter:
    """Step 12's output: the delivery letter, prepared by the staff and signed by the head."""
    return issued(appeal, Kind.PENYAMPAIAN, p.staff, p.head)


def close(p: Personas, appeal: Appeal, **overrides) -> Appeal:
    """Step 12: the delivery letter issued (the head signs it, unless a test issued it
    already), delivered, archived."""
    if not appeal.letters.filter(kind=Kind.PENYAMPAIAN, status="issued").exists():
        delivery_letter(p, appeal)
    fields = dict(
        delivered_at=timezone.now(),
        channel=Channel.EMAIL,
        cabinet="L-01",
        box="B-2026",
        folder="M-001",
    )
    fields.update(overrides)
    return services.appeal_close(appeal=appeal, user=p.staff, **fields)


def walk(p: Personas, appeal: Appeal, to_step: int) -> Appeal:
    """Drive an appeal (registered by staff at step 3, or submitted online at step 2) along
    the relevant branch up to `to_step`, each step with the outputs it requires."""
    chair = p.panel[0]
    actions = {
        2: lambda a: services.appeal_record(appeal=a, user=p.staff, no_involved_reason=NO_INVOLVED),
        3: lambda a: verify_relevant(p, a),
        5: lambda a: propose(p, a),
        6: lambda a: appoint(p, a),
        7: lambda a: (
            services.panel_declare(appeal=a, user=chair),
            services.investigation_report(appeal=a, user=chair, report=pdf("laporan.pdf")),
        )[-1],
        9: lambda a: decide(p, a),
        10: lambda a: approve(p, a),
        11: lambda a: services.decision_disposition(
            appeal=a, user=p.lead, note="Sampaikan kepada pelanggan."
        ),
        12: lambda a: close(p, a),
    }
    while appeal.current_step is not None and appeal.current_step < to_step:
        appeal = actions[appeal.current_step](appeal)
        appeal.refresh_from_db()
    return appeal
