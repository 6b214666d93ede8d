"""Demo data for `banding demo`: an account for every role and a few appeals standing at
different SOP steps, in both branches of step 3.

Appeals are built through the real services (banding.appeals.services), as a user would, so
the demo's history, events and documents are exactly what the system itself writes. Seeding
is idempotent: accounts are found by username and appeals by their complaint reference, so a
second run changes nothing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Appeal, Channel, Decision, NoteKind, ServiceType
from banding.sop import definition as sop

DEMO_PASSWORD = "sibanding-demo"

TEAMS = {
    "pengujian": "Tim Pengujian",
    "kalibrasi-sertifikasi": "Tim Kalibrasi dan Sertifikasi",
}

ORGANIZATIONS = {
    "PT Sinar Kimia Nusantara": {
        "address": "Jl. Raya Bekasi Km. 21, Pulogadung, Jakarta Timur 13920",
        "email": "qa@sinarkimia.example",
        "phone": "021-4608123",
    },
    "CV Kemasan Prima Mandiri": {
        "address": "Kawasan Industri Jababeka II Blok C-7, Cikarang, Bekasi 17530",
        "email": "mutu@kemasanprima.example",
        "phone": "021-8983345",
    },
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str  # as shown in the accounts table
    groups: tuple[str, ...] = ()
    nip: str = ""
    position: str = ""
    teams: tuple[str, ...] = ()
    organization: str = ""
    superuser: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", "Andi", "Pratama", "Administrator", (Role.ADMIN,),
        "19850704 201101 1 003", "Pranata Komputer Ahli Muda", superuser=True,
    ),
    DemoAccount(
        "staf", "Siti", "Rahmawati", "Staff PJTK", (Role.PJTK_STAFF,),
        "19910312 201503 2 004", "Pengelola Layanan Pelanggan",
    ),
    DemoAccount(
        "ketua", "Rina", "Kusumawati", "Ketua Tim PJTK", (Role.PJTK_LEAD,),
        "19800521 200501 2 002", "Ketua Tim Pelayanan Jasa Teknis dan Kemitraan",
    ),
    DemoAccount(
        "kepala", "Bambang", "Hermawan", "Kepala Balai", (Role.HEAD,),
        "19720815 199803 1 001", "Kepala Balai Besar",
    ),
    DemoAccount(
        "teknis.uji", "Agus", "Setiawan", "Tim Teknis — Tim Pengujian", (Role.TECHNICAL,),
        "19830217 200902 1 005", "Koordinator Tim Pengujian", teams=("pengujian",),
    ),
    DemoAccount(
        "teknis.kal", "Dewi", "Lestari", "Tim Teknis — Tim Kalibrasi dan Sertifikasi",
        (Role.TECHNICAL,), "19870909 201012 2 006",
        "Koordinator Tim Kalibrasi dan Sertifikasi", teams=("kalibrasi-sertifikasi",),
    ),
    DemoAccount(
        "hendra", "Hendra", "Wijaya", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19790130 200604 1 002", "Penguji Mutu Barang Ahli Madya",
    ),
    DemoAccount(
        "nuraini", "Nur", "Aini", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19860611 201101 2 008", "Pengendali Mutu Ahli Muda",
    ),
    DemoAccount(
        "yusuf", "Yusuf", "Hidayat", "Tim Teknis (dapat duduk di panel)", (Role.TECHNICAL,),
        "19900402 201402 1 003", "Analis Kalibrasi",
    ),
    DemoAccount(
        "maria", "Maria", "Simanjuntak", "Staff PJTK (dapat duduk di panel)",
        (Role.PJTK_STAFF,), "19881125 201212 2 001", "Penguji Mutu Barang Ahli Muda",
    ),
    DemoAccount(
        "auditor", "Ratna", "Sari", "Auditor", (Role.AUDITOR,),
        "19820707 200801 2 004", "Auditor Internal Sistem Manajemen Mutu",
    ),
    DemoAccount(
        "pelanggan.sinar", "Budi", "Santoso", "Pelanggan — PT Sinar Kimia Nusantara",
        position="Manajer Mutu", organization="PT Sinar Kimia Nusantara",
    ),
    DemoAccount(
        "pelanggan.prima", "Lina", "Marlina", "Pelanggan — CV Kemasan Prima Mandiri",
        position="Kepala Laboratorium", organization="CV Kemasan Prima Mandiri",
    ),
)  # fmt: skip


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


def accounts_table() -> str:
    """The demo accounts as a plain-text table (username, role, password)."""
    rows = [("Nama pengguna", "Peran", "Kata sandi")]
    rows += [(a.username, a.role, DEMO_PASSWORD) for a in ACCOUNTS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


# --- appeals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAppeal:
    """One demo appeal and how far along the SOP it is driven."""

    complaint_reference: str  # marks the demo appeal: seeding skips it when it exists
    organization: str
    contact: str  # username of the customer contact
    channel: str
    days_ago: int
    service_type: str
    reference_document: str
    grounds: str
    remedy_sought: str
    until: int  # drive the appeal until it stands at this step (sop.END: closed)
    relevant: bool = True
    team: str = ""
    involved: tuple[str, ...] = ()
    panel: tuple[str, ...] = ()  # the first is the chair
    decision: str = Decision.ACCEPTED
    remedy: str = ""
    reasons: str = ""
    missing: tuple[str, ...] = field(default=())  # checklist items found missing at step 3


APPEALS: tuple[DemoAppeal, ...] = (
    DemoAppeal(
        complaint_reference="KEL/2026/031",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.EMAIL,
        days_ago=1,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0412",
        grounds=(
            "Hasil uji kadar timbal (Pb) pada cat tembok 2,8 mg/kg, sedangkan laboratorium "
            "internal kami memperoleh 0,9 mg/kg. Penanganan keluhan menyatakan hasil sudah "
            "benar tanpa menjelaskan ketidakpastian pengukuran."
        ),
        remedy_sought="Pengujian ulang sampel arsip dengan disaksikan perwakilan kami.",
        until=3,
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/027",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.COURIER,
        days_ago=3,
        service_type=ServiceType.CERTIFICATION,
        reference_document="SPPT-SNI/0198/2026",
        grounds="Kami keberatan atas biaya surveilan sertifikasi yang naik dari tahun lalu.",
        remedy_sought="Biaya surveilan disesuaikan dengan tarif tahun lalu.",
        until=4,
        relevant=False,
        reasons=(
            "Keberatan menyangkut tarif layanan (PNBP) yang ditetapkan peraturan, bukan hasil "
            "kegiatan teknis; di luar lingkup banding."
        ),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/019",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.IN_PERSON,
        days_ago=9,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0301",
        grounds="Laporan hasil uji terbit tiga hari lebih lambat dari yang dijanjikan.",
        remedy_sought="Pengembalian biaya layanan percepatan.",
        until=sop.END,
        relevant=False,
        missing=("Dokumen pendukung",),
        reasons=(
            "Keterlambatan sudah ditangani sebagai keluhan dan tidak mengubah hasil uji; "
            "banding tidak relevan."
        ),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/029",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.EMAIL,
        days_ago=2,
        service_type=ServiceType.CALIBRATION,
        reference_document="SK/KAL/2026/0733",
        grounds=(
            "Sertifikat kalibrasi timbangan analitik mencantumkan koreksi +0,8 mg pada 200 g, "
            "jauh dari kalibrasi sebelumnya (+0,1 mg), tanpa penjelasan."
        ),
        remedy_sought="Kalibrasi ulang di tempat tanpa biaya dan sertifikat pengganti.",
        until=5,
        team="kalibrasi-sertifikasi",
        involved=("yusuf",),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/022",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.EMAIL,
        days_ago=6,
        service_type=ServiceType.TESTING,
        reference_document="LHU/PJ/2026/0388",
        grounds=(
            "Uji migrasi total kemasan plastik dinyatakan tidak memenuhi syarat, padahal "
            "simulan dan suhu uji yang dipakai tidak sesuai dengan permintaan kami."
        ),
        remedy_sought="Pengujian ulang dengan simulan sesuai SNI dan koreksi laporan.",
        until=7,
        team="pengujian",
        involved=("maria",),
        panel=("hendra", "nuraini", "yusuf"),
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/014",
        organization="CV Kemasan Prima Mandiri",
        contact="pelanggan.prima",
        channel=Channel.COURIER,
        days_ago=14,
        service_type=ServiceType.PT_TESTING,
        reference_document="UP/PJ/2026/07",
        grounds=(
            "Nilai z-score kami untuk parameter kadar air dinilai tidak memuaskan, padahal "
            "nilai acuan yang dipakai berbeda dengan laporan sementara penyelenggara."
        ),
        remedy_sought="Evaluasi ulang unjuk kerja dengan nilai acuan yang benar.",
        until=10,
        team="pengujian",
        panel=("nuraini", "hendra", "maria"),
        decision=Decision.PARTLY,
        remedy="Evaluasi ulang parameter kadar air dan penerbitan laporan akhir revisi.",
    ),
    DemoAppeal(
        complaint_reference="KEL/2026/008",
        organization="PT Sinar Kimia Nusantara",
        contact="pelanggan.sinar",
        channel=Channel.IN_PERSON,
        days_ago=25,
        service_type=ServiceType.INSPECTION,
        reference_document="LHI/2026/0045",
        grounds=(
            "Laporan inspeksi tangki timbun menyatakan ketebalan pelat di bawah batas, "
            "berbeda dengan pengukuran ultrasonik kami pada titik yang sama."
        ),
        remedy_sought="Inspeksi ulang pada titik yang disengketakan.",
        until=sop.END,
        team="kalibrasi-sertifikasi",
        panel=("maria", "hendra", "nuraini"),
        decision=Decision.ACCEPTED,
        remedy="Inspeksi ulang tanpa biaya dan penerbitan laporan inspeksi pengganti.",
    ),
)


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
        spec = self.spec
        received = _received_at(spec.days_ago)
        contact = self.u(spec.contact)
        org = CustomerOrganization.objects.get(name=spec.organization)
        return services.appeal_register(
            user=self.u("staf"),
            organization=org,
            contact_name=contact.display_name,
            contact_email=contact.email,
            contact_phone=org.phone,
            channel=spec.channel,
            received_at=received,
            complaint_reference=spec.complaint_reference,
            complaint_outcome_date=(received - timedelta(days=7)).date(),
            service_type=spec.service_type,
            reference_document=spec.reference_document,
            grounds=spec.grounds,
            remedy_sought=spec.remedy_sought,
            involved_persons=[self.u(name) for name in spec.involved],
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

    def actions(self) -> dict[int, Callable[[Appeal], object]]:
        spec, now = self.spec, timezone.now()
        chair = self.panel[0] if spec.panel else None
        return {
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


def seed() -> SeedResult:
    accounts = seed_accounts()
    return SeedResult(accounts, seed_appeals())
