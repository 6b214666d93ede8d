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
from datetime import datetime, time, timedelta

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
from banding.appeals.models import Appeal, Channel, InvitationMode, NoteKind
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.letters.models import Letter
from banding.sop import definition as sop
from banding.survey.elements import ELEMENTS
from banding.survey.services import survey_answer
from banding.workdays.calendar import WorkCalendar, load_calendar

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


@dataclass(frozen=True)
class _Act:
    """One thing a demo user does, `after` working minutes after the act before it."""

    after: int
    do: Callable[[], object]


class _Walk:
    """Drives one demo appeal through the services, step by step, as the right user, each act
    at its own instant of working time: the demo's history reads as days of office work (the
    clock is moved to each act's instant), every required letter drafted, previewable and
    issued by its signer, not a whole SOP done in one second."""

    def __init__(self, spec: DemoAppeal, users: dict[str, User]):
        self.spec = spec
        self.users = users
        self.team = TechnicalTeam.objects.get(code=spec.team) if spec.team else None
        self.appeal: Appeal | None = None

    def u(self, username: str) -> User:
        return self.users[username]

    @property
    def panel(self) -> list[User]:
        return [self.u(name) for name in self.spec.panel]

    # --- the acts ----------------------------------------------------------------------

    def letter(self, kind: str, drafter: str | User, signer: str | User, **fields) -> list[_Act]:
        """A letter drafted, then issued by its signer (who confirms with the password)."""
        drafter = self.u(drafter) if isinstance(drafter, str) else drafter
        signer = self.u(signer) if isinstance(signer, str) else signer
        made: list[Letter] = []

        def draft() -> None:
            made.append(
                letters.letter_draft(appeal=self.appeal, user=drafter, kind=kind, fields=fields)
            )

        def issue() -> None:
            letters.letter_issue(letter=made[0], user=signer, password=DEMO_PASSWORD)

        return [_Act(15, draft), _Act(25, issue)]

    def complete(self, number: int, user: str | User) -> _Act:
        user = self.u(user) if isinstance(user, str) else user
        return _Act(5, lambda: services.step_complete(appeal=self.appeal, user=user, number=number))

    def register(self) -> list[_Act]:
        """Step 1: registered by the staff (steps 1-2 at once, ten minutes after the letter
        arrived), or submitted by the contact on the portal (step 2 then waits for the
        staff)."""
        spec = self.spec
        contact = self.u(spec.contact)
        org = CustomerOrganization.objects.get(name=spec.organization)
        received: list[datetime] = []

        def content() -> dict:
            return dict(
                complaint_reference=spec.complaint_reference,
                complaint_outcome_date=timezone.localdate() - timedelta(days=7),
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

        def submit() -> None:
            self.appeal = services.appeal_submit(user=contact, **content())

        def arrived() -> None:
            received.append(timezone.now())

        def record() -> None:
            fields = content()
            fields.pop("contact_phone")
            self.appeal = services.appeal_register(
                user=self.u("staf"),
                organization=org,
                contact_name=contact.display_name,
                contact_email=contact.email,
                contact_phone=org.phone,
                channel=spec.channel,
                received_at=received[0],
                involved_persons=[self.u(name) for name in spec.involved],
                **fields,
            )

        if spec.portal:
            return [_Act(0, submit)]
        return [_Act(0, arrived), _Act(10, record)]

    def acts_of(self, number: int) -> list[_Act]:
        """What the actor of step `number` does, with its letters, in order."""
        spec = self.spec
        chair = self.panel[0] if spec.panel else None
        a = lambda: self.appeal  # noqa: E731  (the appeal exists once registered)
        if number == 2:
            return [
                _Act(
                    12,
                    lambda: services.appeal_record(
                        appeal=a(),
                        user=self.u("staf"),
                        involved_persons=[self.u(name) for name in spec.involved],
                    ),
                )
            ]
        if number == 3:
            verify = _Act(
                200,
                lambda: services.appeal_verify(
                    appeal=a(),
                    user=self.u("ketua"),
                    checklist={i: i not in spec.missing for i in sop.step(3).checklist},
                    relevant=spec.relevant,
                    reasons=spec.reasons or "Banding menyangkut hasil kegiatan teknis Balai.",
                    technical_team=self.team if spec.relevant else None,
                ),
            )
            if not spec.relevant:
                return [verify]
            return [
                verify,
                *self.letter(Kind.NOTA_DINAS, "ketua", "ketua"),
                self.complete(3, "ketua"),
            ]
        if number == 4:
            return [
                *self.letter(Kind.PENOLAKAN, "staf", "kepala"),
                _Act(
                    spec.late_minutes or 30,
                    lambda: services.appeal_reject(
                        appeal=a(),
                        user=self.u("staf"),
                        delivered_at=timezone.now(),
                        channel=Channel.EMAIL,
                    ),
                ),
            ]
        if number == 5:
            proposer = self.team.members.order_by("pk").first()
            return [
                _Act(
                    180,
                    lambda: services.panel_propose(
                        appeal=a(),
                        user=proposer,
                        members=self.panel,
                        chair=chair,
                        note="Susunan panel dikoordinasikan dengan Kepala Balai.",
                    ),
                ),
                *self.letter(Kind.USULAN_PANEL, proposer, proposer),
                self.complete(5, proposer),
            ]
        if number == 6:
            return [
                _Act(
                    150,
                    lambda: services.panel_appoint(
                        appeal=a(), user=self.u("kepala"), members=self.panel, chair=chair
                    ),
                ),
                *self.letter(Kind.PENUNJUKAN_PANEL, "staf", "kepala"),
                self.complete(6, "kepala"),
            ]
        if number == 7:
            return self.investigate()
        if number == 9:
            return [
                _Act(
                    300,
                    lambda: services.panel_decide(
                        appeal=a(),
                        user=chair,
                        meeting_at=timezone.now() - timedelta(hours=2),
                        place="Ruang Rapat Lantai 2",
                        attendance=[
                            {
                                "name": m.display_name,
                                "role": "Ketua" if m == chair else "Anggota",
                                "present": True,
                            }
                            for m in self.panel
                        ],
                        minutes=(
                            "Panel membahas laporan hasil investigasi dan penjelasan pelanggan, "
                            "lalu memutuskan dengan suara bulat."
                        ),
                        decision=spec.decision,
                        remedy=spec.remedy,
                    ),
                ),
                *self.letter(Kind.DAFTAR_HADIR, chair, chair),
                *self.letter(Kind.NOTULEN, chair, chair),
                self.complete(9, chair),
            ]
        if number == 10:
            return [
                *self.letter(
                    Kind.KEPUTUSAN,
                    "staf",
                    "kepala",
                    pertimbangan=spec.considerations
                    or "Hasil investigasi dan rapat Tim Panel Banding.",
                ),
                _Act(
                    20,
                    lambda: services.decision_approve(
                        appeal=a(),
                        user=self.u("kepala"),
                        disposition="Setuju, segera tindak lanjuti.",
                    ),
                ),
            ]
        if number == 11:
            return [
                _Act(
                    8,
                    lambda: services.decision_disposition(
                        appeal=a(),
                        user=self.u("ketua"),
                        note="Sampaikan keputusan kepada pelanggan.",
                    ),
                )
            ]
        if number == 12:
            # Fifteen minutes of standard time: the staff prepare the delivery letter and the
            # Ketua Tim PJTK signs it on the head's behalf (a.n. Kepala Balai).
            draft, issue = self.letter(Kind.PENYAMPAIAN, "staf", "ketua")
            return [
                _Act(2, draft.do),
                _Act(5, issue.do),
                _Act(
                    4,
                    lambda: services.appeal_close(
                        appeal=a(),
                        user=self.u("staf"),
                        delivered_at=timezone.now(),
                        channel=Channel.EMAIL,
                        cabinet="Lemari PJTK-2",
                        box=f"Boks Banding {a().year}",
                        folder=a().number.replace("/", "-"),
                    ),
                ),
            ]
        raise KeyError(number)

    def investigate(self) -> list[_Act]:
        """Step 7: every panel member declares; the chair notes and calls the customer; the
        report ends the step, after days of work, unless the demo appeal stands at step 7
        (then the panel asks the customer for a written explanation)."""
        chair = self.panel[0]
        acts = [
            _Act(30, lambda m=member: services.panel_declare(appeal=self.appeal, user=m))
            for member in self.panel
        ]
        acts += [
            _Act(
                400,
                lambda: services.investigation_note(
                    appeal=self.appeal,
                    user=chair,
                    kind=NoteKind.NOTE,
                    text="Rekaman data mentah dan log alat untuk sampel ini sudah diperiksa.",
                ),
            ),
            _Act(
                300,
                lambda: services.investigation_note(
                    appeal=self.appeal,
                    user=chair,
                    kind=NoteKind.CONTACT,
                    text="Menelepon narahubung pelanggan untuk meminta data pembanding.",
                ),
            ),
        ]
        if self.spec.until == 7:
            if self.spec.invitation:

                def invite() -> None:
                    day = timezone.localtime().replace(hour=16, minute=0, second=0, microsecond=0)
                    invitations.invitation_send(
                        appeal=self.appeal,
                        user=chair,
                        mode=InvitationMode.WRITTEN,
                        respond_by=day + timedelta(days=5),
                        message=self.spec.invitation,
                    )

                acts.append(_Act(60, invite))
            return acts
        acts.append(
            _Act(
                1800,
                lambda: services.investigation_report(
                    appeal=self.appeal,
                    user=chair,
                    report=_pdf(
                        "laporan-investigasi.pdf",
                        "Laporan Hasil Investigasi Banding",
                        f"Banding {self.appeal.number}: {self.spec.grounds}",
                        "Temuan: data mentah, log alat dan rekaman pelaksanaan telah ditelusuri.",
                    ),
                ),
            )
        )
        return acts

    def acts(self) -> list[_Act]:
        """Every act from the letter's arrival until the appeal stands where the demo wants
        it, then the customer's survey of a finished appeal."""
        spec = self.spec
        acts = self.register()
        choices = {} if spec.relevant else {3: sop.Result.NOT_RELEVANT}
        first = 2 if spec.portal else 3
        for number in sop.path_from(first, choices):
            if number == spec.until:
                break
            acts += self.acts_of(number)
        if spec.until == 7:
            acts += self.investigate()
        if spec.survey:
            acts.append(
                _Act(
                    240,
                    lambda: survey_answer(
                        appeal=self.appeal,
                        user=self.u(spec.contact),
                        scores={e.code: s for e, s in zip(ELEMENTS, spec.survey, strict=True)},
                        comment=spec.comment,
                    ),
                )
            )
        return acts

    def schedule(self, calendar: WorkCalendar, now: datetime) -> list[tuple[datetime, _Act]]:
        """Each act at its instant: the acts' working minutes laid end to end from a morning
        on which the letter arrived, the latest such morning from which the last act ends
        `days_ago` days before now."""
        acts = self.acts()
        limit = now - timedelta(days=self.spec.days_ago, minutes=5)
        day = timezone.localdate(now)
        # Letters arrive at different times of the morning (the same for the same appeal).
        arrives = time(8, 5 + sum(map(ord, self.spec.complaint_reference)) % 50)
        for _ in range(120):
            start = calendar.next_open(datetime.combine(day, arrives, tzinfo=calendar.tz))
            timed, instant = [], start
            for act in acts:
                instant = calendar.add_minutes(instant, act.after)
                timed.append((instant, act))
            if start.date() == day and instant <= limit:
                return timed
            day -= timedelta(days=1)
        raise RuntimeError(f"Jadwal demo {self.spec.complaint_reference} tidak muat.")

    def run(self, timed: list[tuple[datetime, _Act]]) -> Appeal:
        import time_machine  # the demo's own clock; imported on use (a seeding tool)

        for instant, act in timed:
            with time_machine.travel(instant, tick=False):
                act.do()
        self.appeal.refresh_from_db()
        return self.appeal


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
    calendar, now = load_calendar(), timezone.now()
    walks = [
        (walk, walk.schedule(calendar, now))
        for walk in (_Walk(spec, users) for spec in APPEALS)
        if walk.spec.complaint_reference not in existing
    ]
    created = []
    # In the order the letters arrived, so register numbers follow the dates received.
    for walk, timed in sorted(walks, key=lambda pair: pair[1][0][0]):
        with transaction.atomic():  # an appeal is seeded whole or not at all
            created.append(walk.run(timed))
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
