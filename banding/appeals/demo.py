"""Seeding `banding demo`: an account for every role and a few appeals standing at
different SOP steps, in both branches of step 3; on the customer's side one appeal submitted
through the portal, a panel invitation waiting for the customer's answer, survey answers on
the closed appeals and one self-registration waiting for staff confirmation.

Everything is built through the real services (appeals, invitations, survey, onboarding), as
a user would, so the demo's history, events, notices, e-mails and documents are exactly what
the system itself writes. Seeding is idempotent: accounts are found by username and appeals
by their complaint reference, so a second run changes nothing. Who and what is seeded is
data, in banding.appeals.demo_data.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from banding.accounts import onboarding
from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.accounts.tokens import email_verification_token
from banding.appeals import invitations, services
from banding.appeals.demo_data import (
    ACCOUNTS,
    APPEALS,
    DEMO_PASSWORD,
    ORGANIZATIONS,
    REGISTRANT,
    TEAMS,
    DemoAppeal,
)
from banding.appeals.models import Appeal, Channel, InvitationMode, NoteKind, Status
from banding.sop import definition as sop
from banding.survey.elements import ELEMENTS
from banding.survey.services import survey_answer

# --- files ---------------------------------------------------------------------------------


def pdf_bytes(title: str, paragraphs: Sequence[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, A4) with a title and wrapped text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 13 Tf", "56 780 Td", f"({escape(title)}) Tj", "/F1 10 Tf", "0 -26 Td"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 95) or [""]:
            ops += [f"({escape(line)}) Tj", "0 -14 Td"]
        ops.append("0 -8 Td")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", "replace")  # WinAnsiEncoding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf(name: str, title: str, *paragraphs: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(title, paragraphs), content_type="application/pdf")


# --- accounts ------------------------------------------------------------------------------


def seed_accounts() -> int:
    """Create what is missing of the demo accounts, teams and organisations; returns how
    many accounts were created. Existing accounts (and their passwords) are left alone."""
    teams = {
        code: TechnicalTeam.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in TEAMS.items()
    }
    orgs = {
        name: CustomerOrganization.objects.get_or_create(name=name, defaults=details)[0]
        for name, details in ORGANIZATIONS.items()
    }
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    # Hashed once: every demo account shares the one published password.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is not None:
            continue
        org = orgs[account.organization] if account.organization else None
        domain = org.email.split("@")[1] if org else "balai.example.go.id"
        user = User.objects.create(
            username=account.username,
            password=password,
            email=f"{account.username}@{domain}",
            first_name=account.first_name,
            last_name=account.last_name,
            nip=account.nip,
            position=account.position,
            organization=org,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        user.groups.add(*(groups[name] for name in account.groups))
        for code in account.teams:
            teams[code].members.add(user)
        created += 1
    return created


def seed_registrant() -> bool:
    """The pending self-registration, registered and verified as the customer would (the
    verification link's token made here instead of read from the e-mail); True if created."""
    if User.objects.filter(username=REGISTRANT.email).exists():
        return False
    with transaction.atomic():
        registration = onboarding.customer_register(
            name=REGISTRANT.name,
            email=REGISTRANT.email,
            phone=REGISTRANT.phone,
            organization_name=REGISTRANT.organization_name,
            password=DEMO_PASSWORD,
        )
        user = registration.user
        onboarding.customer_verify_email(
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=email_verification_token.make_token(user),
        )
    return True


def accounts_table() -> str:
    """The demo accounts as a plain-text table (username, role, password)."""
    rows = [("Nama pengguna", "Peran", "Kata sandi")]
    rows += [(a.username, a.role, DEMO_PASSWORD) for a in ACCOUNTS]
    rows.append((REGISTRANT.email, REGISTRANT.role, DEMO_PASSWORD))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


# --- appeals -------------------------------------------------------------------------------


def _received_at(days_ago: int) -> datetime:
    day = timezone.localtime() - timedelta(days=days_ago)
    return day.replace(hour=9, minute=30, second=0, microsecond=0)


class _Walk:
    """Drives one demo appeal through the services, step by step, as the right user."""

    def __init__(self, spec: DemoAppeal, users: dict[str, User]):
        self.spec = spec
        self.users = users
        self.team = TechnicalTeam.objects.get(code=spec.team) if spec.team else None

    def u(self, username: str) -> User:
        return self.users[username]

    @property
    def panel(self) -> list[User]:
        return [self.u(name) for name in self.spec.panel]

    def register(self) -> Appeal:
        """Step 1: registered by the staff (steps 1-2 at once), or submitted by the contact on
        the portal (step 2 then waits for the staff)."""
        spec = self.spec
        received = _received_at(spec.days_ago)
        contact = self.u(spec.contact)
        org = CustomerOrganization.objects.get(name=spec.organization)
        content = dict(
            complaint_reference=spec.complaint_reference,
            complaint_outcome_date=(received - timedelta(days=7)).date(),
            service_type=spec.service_type,
            reference_document=spec.reference_document,
            grounds=spec.grounds,
            remedy_sought=spec.remedy_sought,
            contact_phone=org.phone,
            letter=_pdf(
                "surat-permohonan-banding.pdf",
                "Surat Permohonan Banding",
                f"Kepada Yth. Kepala Balai. Perihal: banding atas keluhan "
                f"{spec.complaint_reference} ({spec.reference_document}).",
                spec.grounds,
                f"Penyelesaian yang kami minta: {spec.remedy_sought}",
                f"Hormat kami, {contact.display_name}, {spec.organization}",
            ),
            attachments=[
                _pdf(
                    "dokumen-pendukung.pdf",
                    "Dokumen Pendukung Banding",
                    f"Salinan {spec.reference_document} dan data pembanding pelanggan.",
                )
            ],
        )
        if spec.portal:
            return services.appeal_submit(user=contact, **content)
        return services.appeal_register(
            user=self.u("staf"),
            organization=org,
            contact_name=contact.display_name,
            contact_email=contact.email,
            channel=spec.channel,
            received_at=received,
            involved_persons=[self.u(name) for name in spec.involved],
            **content,
        )

    def actions(self) -> dict[int, Callable[[Appeal], object]]:
        spec, now = self.spec, timezone.now()
        chair = self.panel[0] if spec.panel else None
        return {
            2: lambda a: services.appeal_record(
                appeal=a,
                user=self.u("staf"),
                involved_persons=[self.u(name) for name in spec.involved],
            ),
            3: lambda a: services.appeal_verify(
                appeal=a,
                user=self.u("ketua"),
                checklist={i: i not in spec.missing for i in sop.step(3).checklist},
                relevant=spec.relevant,
                reasons=spec.reasons or "Banding menyangkut hasil kegiatan teknis Balai.",
                technical_team=self.team if spec.relevant else None,
            ),
            4: lambda a: services.appeal_reject(
                appeal=a,
                user=self.u("staf"),
                reasons=spec.reasons,
                delivered_at=now,
                channel=Channel.EMAIL,
            ),
            5: lambda a: services.panel_propose(
                appeal=a,
                user=self.team.members.order_by("pk").first(),
                members=self.panel,
                chair=chair,
                note="Susunan panel dikoordinasikan dengan Kepala Balai.",
            ),
            6: lambda a: services.panel_appoint(
                appeal=a, user=self.u("kepala"), members=self.panel, chair=chair
            ),
            7: self.investigate,
            9: lambda a: services.panel_decide(
                appeal=a,
                user=chair,
                meeting_at=now - timedelta(hours=3),
                place="Ruang Rapat Lantai 2",
                attendance=[
                    {
                        "name": m.display_name,
                        "role": "Ketua" if m == chair else "Anggota",
                        "present": True,
                    }
                    for m in self.panel
                ],
                minutes="Panel membahas laporan investigasi dan penjelasan pelanggan.",
                decision=spec.decision,
                remedy=spec.remedy,
            ),
            10: lambda a: services.decision_approve(
                appeal=a, user=self.u("kepala"), disposition="Setuju, segera tindak lanjuti."
            ),
            11: lambda a: services.decision_disposition(
                appeal=a, user=self.u("ketua"), note="Sampaikan keputusan kepada pelanggan."
            ),
            12: lambda a: services.appeal_close(
                appeal=a,
                user=self.u("staf"),
                delivered_at=now,
                channel=Channel.EMAIL,
                cabinet="Lemari PJTK-2",
                box=f"Boks Banding {a.year}",
                folder=a.number.replace("/", "-"),
            ),
        }

    def investigate(self, appeal: Appeal) -> Appeal:
        """Step 7: every panel member declares; the chair notes; the report ends the step
        unless the demo appeal should stand at step 7."""
        for member in self.panel:
            services.panel_declare(appeal=appeal, user=member)
        chair = self.panel[0]
        services.investigation_note(
            appeal=appeal,
            user=chair,
            kind=NoteKind.NOTE,
            text="Rekaman data mentah dan log alat untuk sampel ini sudah diperiksa.",
        )
        services.investigation_note(
            appeal=appeal,
            user=chair,
            kind=NoteKind.CONTACT,
            text="Menelepon narahubung pelanggan untuk meminta data pembanding.",
        )
        if self.spec.until == 7:
            if self.spec.invitation:
                today = timezone.localtime().replace(hour=16, minute=0, second=0, microsecond=0)
                invitations.invitation_send(
                    appeal=appeal,
                    user=chair,
                    mode=InvitationMode.WRITTEN,
                    respond_by=today + timedelta(days=5),
                    message=self.spec.invitation,
                )
            return appeal
        return services.investigation_report(
            appeal=appeal,
            user=chair,
            report=_pdf(
                "laporan-investigasi.pdf",
                "Laporan Hasil Investigasi Banding",
                f"Banding {appeal.number}: {self.spec.grounds}",
                "Temuan: data mentah, log alat dan rekaman pelaksanaan telah ditelusuri.",
            ),
        )

    def run(self) -> Appeal:
        appeal = self.register()
        actions = self.actions()
        while appeal.current_step not in (None, self.spec.until):
            actions[appeal.current_step](appeal)
            appeal.refresh_from_db()
        if appeal.current_step == 7:
            self.investigate(appeal)  # it stands at step 7: the panel declared and took notes
        if self.spec.survey and appeal.status in (Status.CLOSED, Status.REJECTED):
            survey_answer(
                appeal=appeal,
                user=self.u(self.spec.contact),
                scores={e.code: s for e, s in zip(ELEMENTS, self.spec.survey, strict=True)},
                comment=self.spec.comment,
            )
        return appeal


def seed_appeals() -> list[Appeal]:
    """Build the demo appeals that do not exist yet; returns the ones created."""
    users = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS])
    }
    existing = set(
        Appeal.objects.filter(
            complaint_reference__in=[s.complaint_reference for s in APPEALS]
        ).values_list("complaint_reference", flat=True)
    )
    created = []
    # Oldest first, so register numbers follow the dates the appeals were received.
    for spec in sorted(APPEALS, key=lambda s: -s.days_ago):
        if spec.complaint_reference in existing:
            continue
        with transaction.atomic():  # an appeal is seeded whole or not at all
            created.append(_Walk(spec, users).run())
    return created


@dataclass(frozen=True)
class SeedResult:
    accounts_created: int
    appeals_created: list[Appeal]
    registrant_created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.accounts_created or self.appeals_created or self.registrant_created)


def seed() -> SeedResult:
    accounts = seed_accounts()
    return SeedResult(accounts, seed_appeals(), seed_registrant())
