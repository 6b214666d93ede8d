"""Test data built through the real services (never by writing rows behind their back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Appeal, Channel, Decision, ServiceType
from banding.sop import definition as sop

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "surat-banding.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_user(username: str, *roles: str, organization=None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="rahasia-uji-123",
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
    )
    fields.update(overrides)
    return services.appeal_register(**fields)


def walk(p: Personas, appeal: Appeal, to_step: int) -> Appeal:
    """Drive an appeal (registered by staff at step 3, or submitted online at step 2) along
    the relevant branch up to `to_step`."""
    now = timezone.now()
    chair = p.panel[0]
    actions = {
        2: lambda a: services.appeal_record(appeal=a, user=p.staff),
        3: lambda a: services.appeal_verify(
            appeal=a,
            user=p.lead,
            checklist=dict.fromkeys(sop.step(3).checklist, True),
            relevant=True,
            reasons="Banding relevan.",
            technical_team=p.team_a,
        ),
        5: lambda a: services.panel_propose(
            appeal=a, user=p.tech, members=p.panel[:3], chair=chair, note="Koordinasi lisan."
        ),
        6: lambda a: services.panel_appoint(
            appeal=a, user=p.head, members=p.panel[:3], chair=chair
        ),
        7: lambda a: (
            services.panel_declare(appeal=a, user=chair),
            services.investigation_report(appeal=a, user=chair, report=pdf("laporan.pdf")),
        )[-1],
        9: lambda a: services.panel_decide(
            appeal=a,
            user=chair,
            meeting_at=now - timedelta(minutes=5),
            place="Ruang Rapat 1",
            attendance=[{"name": chair.display_name, "role": "Ketua", "present": True}],
            minutes="Panel membahas hasil investigasi.",
            decision=Decision.PARTLY,
            remedy="Pengujian ulang tanpa biaya.",
        ),
        10: lambda a: services.decision_approve(
            appeal=a, user=p.head, disposition="Untuk ditindaklanjuti."
        ),
        11: lambda a: services.decision_disposition(
            appeal=a, user=p.lead, note="Sampaikan kepada pelanggan."
        ),
        12: lambda a: services.appeal_close(
            appeal=a,
            user=p.staff,
            delivered_at=now,
            channel=Channel.EMAIL,
            cabinet="L-01",
            box="B-2026",
            folder="M-001",
        ),
    }
    while appeal.current_step is not None and appeal.current_step < to_step:
        appeal = actions[appeal.current_step](appeal)
        appeal.refresh_from_db()
    return appeal
