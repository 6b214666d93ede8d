"""The demo appeals walked through the real services, act by act, each at its own instant of
working time (see `_Walk`): registered or submitted, verified, investigated, decided and
closed as far as data.py says, with every required letter drafted and issued by its signer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.appeals import invitations, services
from banding.appeals.models import Appeal, Channel, InvitationMode, NoteKind
from banding.appeals.services import considered, meeting
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.letters.models import Letter
from banding.platform.demo.data import ACCOUNTS, APPEALS, DEMO_PASSWORD, NO_INVOLVED, DemoAppeal
from banding.platform.demo.pdf import pdf_upload
from banding.sop import definition as sop
from banding.survey.elements import ELEMENTS
from banding.survey.services import survey_answer
from banding.workdays.calendar import WorkCalendar, load_calendar


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
        self._appeal: Appeal | None = None

    @property
    def appeal(self) -> Appeal:
        """The appeal walked; it exists once the registering act has run (the acts run in
        order, each reading it only when it runs)."""
        assert self._appeal is not None, "the demo appeal is read before it is registered"
        return self._appeal

    def u(self, username: str) -> User:
        return self.users[username]

    @property
    def panel(self) -> list[User]:
        return [self.u(name) for name in self.spec.panel]

    # --- the acts ----------------------------------------------------------------------

    def letter(
        self, kind: str, drafter: str | User, signer: str | User, **fields: str
    ) -> list[_Act]:
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
                letter=pdf_upload(
                    "surat-permohonan-banding.pdf",
                    "Surat Permohonan Banding",
                    f"Kepada Yth. Kepala Balai. Perihal: banding atas keluhan "
                    f"{spec.complaint_reference} ({spec.reference_document}).",
                    spec.grounds,
                    f"Penyelesaian yang kami minta: {spec.remedy_sought}",
                    f"Hormat kami, {contact.display_name}, {spec.organization}",
                ),
                attachments=[
                    pdf_upload(
                        "dokumen-pendukung.pdf",
                        "Dokumen Pendukung Banding",
                        f"Salinan {spec.reference_document} dan data pembanding pelanggan.",
                    )
                ],
            )

        def submit() -> None:
            self._appeal = services.appeal_submit(user=contact, **content())

        def arrived() -> None:
            received.append(timezone.now())

        def record() -> None:
            fields = content()
            fields.pop("contact_phone")
            self._appeal = services.appeal_register(
                user=self.u("staf"),
                organization=org,
                contact_name=contact.display_name,
                contact_email=contact.email,
                contact_phone=org.phone,
                channel=spec.channel,
                received_at=received[0],
                **self.involvement(),
                **fields,
            )

        if spec.portal:
            return [_Act(0, submit)]
        return [_Act(0, arrived), _Act(10, record)]

    def involvement(self) -> dict[str, Any]:
        """Step 2's required answer: the staff involved, or why nobody was."""
        persons = [self.u(name) for name in self.spec.involved]
        return {"involved_persons": persons, "no_involved_reason": "" if persons else NO_INVOLVED}

    def similar(self) -> dict[str, Any]:
        """The similar earlier appeals shown now, all of them confirmed as considered."""
        shown = considered.shown(self.appeal)
        return {
            "similar_considered": [i["id"] for i in shown],
            "similar_confirmed": bool(shown),
        }

    def meeting_time(self) -> datetime:
        """Two hours ago, but never before the panel as it sits was appointed."""
        appointed = meeting.appointed_at(meeting.seats(self.appeal))
        earliest = timezone.now() - timedelta(hours=2)
        return max(earliest, appointed) if appointed is not None else earliest

    def acts_of(self, number: int) -> list[_Act]:
        """What the actor of step `number` does, with its letters, in order."""
        spec = self.spec
        chair = self.panel[0] if spec.panel else None
        if number == 2:
            return [
                _Act(
                    12,
                    lambda: services.appeal_record(
                        appeal=self.appeal,
                        user=self.u("staf"),
                        **self.involvement(),
                    ),
                )
            ]
        if number == 3:
            verify = _Act(
                200,
                lambda: services.appeal_verify(
                    appeal=self.appeal,
                    user=self.u("ketua"),
                    checklist={i: i not in spec.missing for i in sop.step(3).checklist},
                    relevant=spec.relevant,
                    reasons=spec.reasons or "Banding menyangkut hasil kegiatan teknis Balai.",
                    technical_team=self.team if spec.relevant else None,
                    **self.similar(),
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
                        appeal=self.appeal,
                        user=self.u("staf"),
                        delivered_at=timezone.now(),
                        channel=Channel.EMAIL,
                    ),
                ),
            ]
        if number == 5:
            assert self.team is not None, "a relevant demo appeal names its technical team"
            proposer = self.team.members.order_by("pk").first()
            assert proposer is not None, "the demo's technical teams have members"
            return [
                _Act(
                    180,
                    lambda: services.panel_propose(
                        appeal=self.appeal,
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
                        appeal=self.appeal, user=self.u("kepala"), members=self.panel, chair=chair
                    ),
                ),
                *self.letter(Kind.PENUNJUKAN_PANEL, "staf", "kepala"),
                self.complete(6, "kepala"),
            ]
        if number == 7:
            return self.investigate()
        if number == 9:
            assert chair is not None, "a demo appeal decided by a panel names its panel"
            return [
                _Act(
                    300,
                    lambda: services.panel_decide(
                        appeal=self.appeal,
                        user=chair,
                        meeting_at=self.meeting_time(),
                        place="Ruang Rapat Lantai 2",
                        attendance=[
                            {"member": str(m.public_id), "present": True} for m in self.panel
                        ],
                        guests=[{"name": self.u("staf").display_name, "role": "Notulis"}],
                        minutes=(
                            "Panel membahas laporan hasil investigasi dan penjelasan pelanggan, "
                            "lalu memutuskan dengan suara bulat."
                        ),
                        decision=spec.decision,
                        reasons=spec.considerations
                        or "Hasil investigasi dan penjelasan pelanggan dipertimbangkan panel.",
                        remedy=spec.remedy,
                        **self.similar(),
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
                        appeal=self.appeal,
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
                        appeal=self.appeal,
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
                        appeal=self.appeal,
                        user=self.u("staf"),
                        delivered_at=timezone.now(),
                        channel=Channel.EMAIL,
                        cabinet="Lemari PJTK-2",
                        box=f"Boks Banding {self.appeal.year}",
                        folder=self.appeal.number.replace("/", "-"),
                    ),
                ),
            ]
        raise KeyError(number)

    def declare(self, member: User) -> _Act:
        return _Act(30, lambda: services.panel_declare(appeal=self.appeal, user=member))

    def investigate(self) -> list[_Act]:
        """Step 7: every panel member declares; the chair notes and calls the customer; the
        report ends the step, after days of work, unless the demo appeal stands at step 7
        (then the panel asks the customer for a written explanation)."""
        chair = self.panel[0]
        acts = [self.declare(member) for member in self.panel]
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
                    report=pdf_upload(
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
