"""What the services write when a step happens, as rows of a generated appeal: the intake
(banding.appeals.services._register, _submit, appeal_record), each step's completion with
its data and event (appeal_verify … appeal_close), the investigation inside step 7 (panel
declarations, notes, evidence), issued letters (banding.letters.services) and the survey
answer (banding.survey.services). A mixin of history.Builder, which holds the appeal being
built."""

from __future__ import annotations

from bisect import bisect

from banding.appeals.bulk import texts
from banding.appeals.bulk.formats import dashed, token, uuid_hex
from banding.appeals.bulk.timeline import Path
from banding.appeals.bulk.vocabulary import (
    APPROVED_DATA,
    CHANNEL_LABELS,
    DECISION_LABELS,
    DECISIONS,
    DISPOSITIONED_DATA,
    EVIDENCE,
    KAB,
    KTP,
    LETTER,
    PROPOSAL_NOTE,
    RELEVANT_REASONS,
    REPORT,
    REPORT_SUMMARY,
    STAFF_CHANNELS,
    SUPPORTING,
    TEK,
    canonical,
    quoted,
)
from banding.appeals.models import Decision, NoteKind
from banding.letters.kinds import spec as letter_spec


class Actions:
    """The services' writes, step by step (see the module notes)."""

    def _registered(self, path: Path, action: str, step: int) -> None:
        """The intake's own event and documents (banding.appeals.services._register/_submit)."""
        t, user = self.created, self.creator
        data = (
            f'{{"channel":"{self.channel}","number":{quoted(path.number)},'
            f'"service_type":"{self.service}"}}'
        )
        if action == "appeal.submitted":
            summary = f"Banding {path.number} diajukan melalui portal pelanggan"
        else:
            label = CHANNEL_LABELS[self.channel]
            summary = f"Banding {path.number} diterima melalui {label} dan dicatat"
            self._involve()
        self._event(t, user, action, step, summary, data, True)
        self._doc(LETTER, step, t, user)
        extra = self.rng.random()
        for _ in range(2 if extra < 0.1 else 1 if extra < 0.5 else 0):
            self._doc(SUPPORTING, step, t, user)

    def _involve(self) -> None:
        if self.involved is not None:
            self._table("involved").append((self.n.take("involved"), self.appeal_id, self.involved))

    def _recorded(self, end: int) -> str:
        """Step 2 of an online submission: the staff record it (services.appeal_record)."""
        self._involve()
        involved = f'"{dashed(self.cast.people[self.involved].public_id)}"' if self.involved else ""
        data = f'{{"involved_note":"","involved_persons":[{involved}]}}'
        summary = "Permohonan banding diperiksa dan dicatat oleh staff PJTK"
        self._event(end, self.staff, "step.2.recorded", 2, summary, data, True)
        return data

    def _complete(self, path: Path, number: int, outcome: str, end: int, start_p, end_p):
        """Steps 3-12 completed: who, the step's data, its event and what it changes."""
        rng, state, clock = self.rng, self.state, self.clock
        people = self.cast.people
        if number == 3:
            by = self._pick(self.players[KTP])
            relevant = outcome == "relevant"
            if relevant:
                self._panel()
                reasons = texts.RELEVANT
                summary = (
                    f"Diverifikasi relevan; nota dinas kepada {self.team[2]}, "
                    "diketahui Kepala Balai"
                )
                data = (
                    f'{{"checklist":{self.checklist_confirmed},"reasons":{RELEVANT_REASONS},'
                    f'"relevant":true,"technical_team":{quoted(self.team[1])}}}'
                )
            else:
                reasons = rng.choice(texts.NOT_RELEVANT)
                checklist = {item: rng.random() < 0.9 for item in self.checklist}
                summary = "Diverifikasi tidak relevan"
                data = {
                    "checklist": checklist,
                    "relevant": relevant,
                    "reasons": reasons,
                    "technical_team": None,
                }
            state["relevant"], state["relevance_reasons"] = relevant, reasons
        elif number == 4:
            by = self.staff
            channel = rng.choice(STAFF_CHANNELS)
            reasons = state["relevance_reasons"]
            data = (
                f'{{"channel":"{channel}","delivered_at":"{clock.json(end)}",'
                f'"reasons":{quoted(reasons)}}}'
            )
            summary = f"Surat penolakan dikirim kepada pelanggan ({CHANNEL_LABELS[channel]})"
            state.update(delivered_at=end, delivery_channel=channel, status="rejected")
            state["closed_at"] = end
        elif number in (5, 6):
            members = [dashed(people[u].public_id) for u in self.seats]
            names = [people[u].name for u in self.seats]
            chair = f'"chair":"{members[0]}"'
            members_names = (
                f'"members":["{'","'.join(members)}"],'
                f'"names":[{",".join([quoted(name) for name in names])}]'
            )
            if number == 5:
                by = self._pick(self._players(TEK))
                data = f'{{{chair},{members_names},"note":{PROPOSAL_NOTE}}}'
                summary = "Usulan Tim Panel Banding: " + ", ".join(names)
            else:
                by = self._pick(self.players[KAB])
                data = f'{{{chair},"changed":false,{members_names}}}'
                summary = "Tim Panel Banding ditunjuk: " + ", ".join(names)
                self.appointed = end
        elif number == 7:
            by = self.seats[0]
            report = self._doc(REPORT, 7, end, by)
            data = f'{{"report":"{report}","summary":{REPORT_SUMMARY}}}'
            summary = "Laporan hasil investigasi diunggah"
        elif number == 9:
            by = self.seats[0]
            self.decision = rng.choice(DECISIONS)
            self.minutes = rng.choice(texts.MINUTES)
            dismissed = self.decision == Decision.DISMISSED
            self.remedy_decided = "" if dismissed else rng.choice(texts.REMEDY_DECIDED)
            attendance = ",".join(
                [
                    f'{{"name":{quoted(people[u].name)},"present":true,'
                    f'"role":"{"Ketua" if i == 0 else "Anggota"}"}}'
                    for i, u in enumerate(self.seats)
                ]
            )
            meeting_at = clock.json(self._at(start_p, end_p, rng.uniform(0.2, 0.8)))
            place = rng.choice(texts.PLACES)
            data = (
                f'{{"attendance":[{attendance}],"decision":"{self.decision}",'
                f'"meeting_at":"{meeting_at}","minutes":{quoted(self.minutes)},'
                f'"place":{quoted(place)},"remedy":{quoted(self.remedy_decided)}}}'
            )
            summary = f"Rapat panel memutuskan: {DECISION_LABELS[self.decision]}"
        elif number == 10:
            by = self._pick(self.players[KAB])
            if outcome == "approved":
                data = APPROVED_DATA
                summary = "Keputusan disetujui Kepala Balai dan didisposisikan"
                state["approved_at"] = end
            else:
                reasons = rng.choice(texts.RETURN_REASONS)
                data = f'{{"reasons":{quoted(reasons)},"returned_decision":"{self.decision}"}}'
                summary = "Keputusan dikembalikan kepada Tim Panel"
                self.decision = self.remedy_decided = ""
        elif number == 11:
            by = self._pick(self.players[KTP])
            data = DISPOSITIONED_DATA
            summary = "Keputusan didisposisikan kepada staff PJTK"
        else:  # 12
            by = self.staff
            channel = rng.choice(STAFF_CHANNELS)
            archive = ("Lemari PJTK-2", f"Boks Banding {path.year}", path.number.replace("/", "-"))
            data = (
                f'{{"box":{quoted(archive[1])},"cabinet":{quoted(archive[0])},'
                f'"channel":"{channel}","delivered_at":"{clock.json(end)}",'
                f'"folder":{quoted(archive[2])}}}'
            )
            summary = "Keputusan disampaikan kepada pelanggan; berkas diarsipkan"
            state.update(delivered_at=end, delivery_channel=channel, archive=archive)
            state.update(status="closed", closed_at=end)
        text = data if type(data) is str else canonical(data)  # step's and event's, once
        self._event(end, by, f"step.{number}.{outcome}", number, summary, text, True)
        return by, text

    def _investigation(self, start_p: int, until_p: int, done: bool) -> None:
        """Step 7 inside: each panel member declares no conflict of interest, the chair
        notes the investigation and contacts with the customer, evidence now and then."""
        rng, clock = self.rng, self.clock
        self.declared: dict[int, int] = {}
        span = until_p - start_p
        for i, user in enumerate(self.seats):
            if not done and rng.random() < 0.2:
                continue  # still to declare
            t = self.wt.instant(start_p + int(span * rng.uniform(0.0, 0.1) * (i + 1)) + 1)
            self.declared[user] = t
            summary = f"{self.cast.people[user].name} menyatakan bebas benturan kepentingan"
            self._event(t, user, "panel.declared", 7, summary, "{}")
        chair = self.seats[0]
        if chair not in self.declared:
            return
        notes = [(NoteKind.NOTE, texts.NOTES, 0.45)]
        if rng.random() < 0.5:
            notes.append((NoteKind.CONTACT, texts.CONTACTS, 0.6))
        for kind, pool, share in notes:
            if not done and rng.random() < 0.5:
                continue
            t = self._at(start_p, until_p, share)
            note_id = self.n.take("note")
            text = pool[int(rng.random() * len(pool))]
            self._table("note").append(
                (note_id, self.appeal_id, 7, kind.value, text, clock.db(t), chair, clock.db(t))
            )
            summary = f"{kind.label} dicatat"
            self._event(
                t, chair, f"investigation.{kind.value}", 7, summary, f'{{"note":{note_id}}}'
            )
        if rng.random() < 0.15:
            t = self._at(start_p, until_p, 0.7)
            self._doc(EVIDENCE, 7, t, chair)

    def _letter(self, path: Path, letter: tuple) -> None:
        """An issued letter (banding.letters.services: drafted, then issued and signed)."""
        kind, step, drafted_p, issued_p, sequence, year, number = letter
        k = letter_spec(kind)
        drafted, issued = self.wt.instant(drafted_p), self.wt.instant(issued_p)
        signer = self._pick(self.players[k.signer.value])
        drafter = signer if kind == "nota_dinas" else self.staff
        public_id = uuid_hex(self.rng)
        file = self.letter_files[kind]
        shown = dashed(public_id)
        self._table("letter").append(
            (
                self.n.take("letter"),
                public_id,
                self.appeal_id,
                kind,
                step,
                "issued",
                self._letter_fields(path, kind),
                number,
                sequence,
                year,
                1,
                file.name,
                file.sha256,
                token(self.rng),
                drafter,
                self.clock.db(drafted),
                self.clock.db(issued),
                self.clock.db(issued),
                signer,
                signer,
                self.clock.db(issued),
            )
        )
        drafted_data = f'{{"kind":"{kind}","letter":"{shown}"}}'
        self._event(
            drafted, drafter, "letter.drafted", step, f"Draf {k.label} dibuat", drafted_data
        )
        data = (
            f'{{"kind":"{kind}","letter":"{shown}","number":{quoted(number)},'
            f'"sha256":"{file.sha256}","supersedes":null,"version":1}}'
        )
        name = self.cast.people[signer].name
        summary = f"{k.label} {number} terbit, ditandatangani secara elektronik oleh {name}"
        self._event(issued, signer, "letter.issued", step, summary, data, k.to_customer)

    def _letter_fields(self, path: Path, kind: str) -> str:
        """The parts as banding.letters.render.defaults fills them for this case, as the
        canonical JSON of the letter's fields (keys in order)."""
        org = self.org_names[self.org_id]
        customer = quoted(f"{self.cast.people[self.contact].name}\n{org}")
        number = path.number
        if kind == "nota_dinas":
            isi = (
                f"Bersama ini kami sampaikan permohonan banding dari {org} atas hasil "
                f"penanganan keluhan {self.complaint_reference} yang telah kami verifikasi "
                "lengkap dan relevan. Mohon Saudara berkoordinasi dengan Kepala Balai "
                "untuk pembentukan Tim Panel Banding."
                f"\n\nHasil verifikasi: {self.state['relevance_reasons']}"
            )
            return (
                f'{{"isi":{quoted(isi)},"kepada":{quoted(f"Ketua {self.team[2]}")},'
                f'"perihal":{quoted(f"Permohonan penyelesaian banding {number}")}}}'
            )
        if kind == "penolakan":
            return (
                f'{{"alasan":{quoted(self.state["relevance_reasons"])},"kepada":{customer},'
                f'"perihal":{quoted(f"Penolakan permohonan banding {number}")}}}'
            )
        if kind == "keputusan":
            return (
                f'{{"amar":{quoted(self.remedy_decided)},"kepada":{customer},'
                f'"perihal":{quoted(f"Keputusan penyelesaian banding {number}")},'
                f'"pertimbangan":{quoted(self.minutes)}}}'
            )
        decision = Decision(self.decision).label.lower() if self.decision else ""
        remedy = f" Tindakan yang diputuskan: {self.remedy_decided}" if self.remedy_decided else ""
        isi = (
            f"Bersama ini kami sampaikan bahwa permohonan banding Saudara {number} "
            f"diputuskan {decision}.{remedy} Dengan surat ini proses penanganan banding "
            "dinyatakan selesai."
        )
        return (
            f'{{"isi":{quoted(isi)},"kepada":{customer},'
            f'"perihal":{quoted(f"Penyampaian keputusan banding {number}")}}}'
        )

    def _survey(self) -> None:
        """The customer answers the satisfaction survey some days after the appeal closed."""
        rng = self.rng
        t = self.state["closed_at"] + rng.randint(1, 15) * 86400 + rng.randint(0, 8 * 3600)
        if t >= self.now:
            return
        public_id = uuid_hex(rng)
        scores = [1 + bisect((5, 20, 70, 100), rng.random() * 100) for _ in range(9)]
        comment = rng.choice(texts.COMMENTS)
        self._table("survey").append(
            (
                self.n.take("survey"),
                public_id,
                self.appeal_id,
                self.contact,
                *scores,
                comment,
                self.clock.db(t),
            )
        )
        summary = "Pelanggan mengisi Survei Kepuasan Masyarakat"
        data = f'{{"response":"{dashed(public_id)}"}}'
        self._event(t, self.contact, "survey.answered", None, summary, data, True)
