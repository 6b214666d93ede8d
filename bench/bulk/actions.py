"""What the services write when a step happens, as rows of a generated appeal: the intake
(banding.appeals.services._register, _submit, appeal_record); each step's record (the
record-first steps 3, 5, 6 and 9: services._settle), the letters made at it, drafted and
issued by who may sign them (banding.letters.services), and its completion with its data,
the outputs it required and its event (appeal_verify … appeal_close, step_complete); the
investigation inside step 7 (panel declarations, notes, evidence) and the survey answer
(banding.survey.services). A mixin of history.Builder, which holds the appeal being built."""

from __future__ import annotations

from bisect import bisect

from banding.appeals.models import Decision, NoteKind
from banding.sop import definition as sop
from bench.bulk import texts
from bench.bulk.formats import dashed, token, uuid_hex
from bench.bulk.timeline import EXPECTED, LETTERS_OF, Path
from bench.bulk.vocabulary import (
    APPROVED,
    CHANNEL_LABELS,
    CHECKLIST_CONFIRMED,
    DECISION_LABELS,
    DECISIONS,
    DISPOSITIONED,
    EVIDENCE,
    KAB,
    KTP,
    LETTER,
    PROPOSAL_NOTE,
    RELEVANT_REASONS,
    REPORT,
    REPORT_SUMMARY,
    REQUIRED,
    STAFF_CHANNELS,
    SUPPORTING,
    TEK,
    TPB,
    WANTED,
    canonical,
    obj,
    quoted,
)

# Letters drafted by the step's own actor (the Ketua Tim PJTK, the technical team, the panel's
# chair); the others are prepared by the PJTK staff, as in the demo.
# The similar earlier appeals of steps 3 and 9: none shown in the generated history.
NO_SIMILAR = '{"confirmed":false,"considered":[],"shown":[]}'
DRAFTED_BY_ACTOR = frozenset({"nota_dinas", "usulan_panel", "daftar_hadir", "notulen"})
# The share of each kind in the head's name that the Ketua Tim PJTK signs a.n. Kepala Balai
# (where the signer setting allows it).
ON_BEHALF = {"penolakan": 0.3, "penunjukan_panel": 0.15, "penyampaian": 0.6}
# render.defaults: the subject of each kind, before the register number; the panel's task.
SUBJECTS = {
    "nota_dinas": "Permohonan penyelesaian banding ",
    "penolakan": "Penolakan permohonan banding ",
    "usulan_panel": "Usulan Tim Panel Banding ",
    "penunjukan_panel": "Penunjukan Tim Panel Banding ",
    "daftar_hadir": "Daftar hadir rapat Tim Panel Banding ",
    "notulen": "Notulen rapat Tim Panel Banding ",
    "keputusan": "Keputusan penyelesaian banding ",
    "penyampaian": "Penyampaian keputusan banding ",
}
PANEL_TASK = (
    f"Melakukan investigasi atas banding {{number}} ({sop.step(7).waktu}), "
    "menyelenggarakan rapat panel banding dan menyampaikan keputusan penyelesaian banding "
    "kepada Kepala Balai. Anggota yang terlibat dalam kegiatan atau keluhan semula tidak dapat "
    "duduk di Tim Panel Banding (ISO/IEC 17025 7.9.6)."
)


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

    # -- a step's actor: the record, the letters, the completion -------------------------------

    def _actor(self, number: int) -> int:
        """Who acts at step `number` (and completes it)."""
        if number in (3, 11):
            return self._pick(self.players[KTP])
        if number in (6, 10):
            return self._pick(self.players[KAB])
        if number in (7, 9):
            return self.seats[0]  # the chair
        if number == 5:
            return self._pick(self._not_involved(self._players(TEK)))
        return self.staff  # 4, 12

    def _not_involved(self, people) -> tuple[int, ...]:
        """`people` but the person involved in the original activity (ISO/IEC 17025
        7.9.6: they may not sign the appeal's letters)."""
        found = tuple(u for u in people if u != self.involved)
        if not found:  # people.py and history.py choose so that this does not happen
            raise RuntimeError(f"seed-bulk: tidak ada penanda tangan yang tidak terlibat: {people}")
        return found

    def _act(
        self,
        path: Path,
        step_id: int,
        number: int,
        outcome: str,
        start_p,
        end_p,
        recorded_p,
        letters: list,
    ) -> tuple[int, str, tuple | None]:
        """What the services write for step `number` (services.appeal_verify …
        appeal_close, letters.services): for a record-first step its record first (the
        `step.<n>.pending` event; the row's recorded_* columns), then the letters made from
        it, drafted and issued, then — once the step is done — its completion (step_complete)
        with the recorded data and the outputs; for the others their letters, then the
        completion with its facts and outputs. An open step stops where it stands. Returns
        (who, the step's data, the row's record: (outcome, data, at, by) or None)."""
        outcome = outcome or EXPECTED[number]
        by = self._actor(number)
        record = recorded = None
        if recorded_p is not None:
            at = self.wt.instant(recorded_p)
            record, summary = self._facts(path, number, outcome, start_p, recorded_p, by)
            text = obj(record)
            summary_pending = (
                f"Hasil langkah {number} dicatat: {summary}; menunggu {WANTED[number, outcome]}"
            )
            self._event(at, by, f"step.{number}.pending", number, summary_pending, text)
            recorded = (outcome, text, at, by)
        own = {}
        for letter in letters:
            described = self._letter(path, letter, step_id, by)
            if described is not None:
                own[letter[0]] = described
        if end_p is None:
            return by, "{}", recorded
        end = self.wt.instant(end_p)
        if record is None:
            record, summary = self._facts(path, number, outcome, start_p, end_p, by)
        else:
            record = dict(record)  # the recorded data stays as recorded
        required = REQUIRED[number, outcome]
        if required:
            # This occurrence's own letters; the outputs passed on (step 11's decision letter)
            # and step 7's report as made last.
            mine, made = LETTERS_OF[number, outcome], self.made
            found = [own[k] if k in mine else made[k] for k in required]
            record["outputs"] = "[" + ",".join(found) + "]"
        text = obj(record)  # the step's and its event's
        self._event(end, by, f"step.{number}.{outcome}", number, summary, text, True)
        self._apply(path, number, outcome, end)
        return by, text, recorded

    def _facts(self, path: Path, number: int, outcome: str, start_p, at_p, by: int):
        """The step's data as its service records it at position `at_p` (members as JSON
        texts) and its summary; what completing it changes waits in self.facts (_apply)."""
        rng, clock = self.rng, self.clock
        people = self.cast.people
        facts = self.facts = {}
        if number == 3:
            if outcome == "relevant":
                self._panel()
                code, name = self.team[1], self.team[2]
                record = {
                    "checklist": CHECKLIST_CONFIRMED,
                    "reasons": RELEVANT_REASONS,
                    "relevant": "true",
                    "technical_team": quoted(code),
                    "similar": NO_SIMILAR,
                    "technical_team_name": quoted(name),
                }
                summary = f"Diverifikasi relevan; nota dinas kepada {name}, diketahui Kepala Balai"
                facts["reasons"] = texts.RELEVANT
            else:
                reasons = rng.choice(texts.NOT_RELEVANT)
                checklist = {item: rng.random() < 0.9 for item in self.checklist}
                record = {
                    "checklist": canonical(checklist),
                    "reasons": quoted(reasons),
                    "relevant": "false",
                    "similar": NO_SIMILAR,
                    "technical_team": "null",
                    "technical_team_name": "null",
                }
                summary = "Diverifikasi tidak relevan"
                facts["reasons"] = reasons
        elif number == 4:
            channel = rng.choice(STAFF_CHANNELS)
            record = {
                "channel": f'"{channel}"',
                "delivered_at": f'"{clock.json(self.wt.instant(at_p))}"',
                "reasons": quoted(self.state["relevance_reasons"]),
            }
            summary = f"Surat penolakan dikirim kepada pelanggan ({CHANNEL_LABELS[channel]})"
            facts["channel"] = channel
        elif number in (5, 6):
            members = [dashed(people[u].public_id) for u in self.seats]
            names = [people[u].name for u in self.seats]
            record = {
                "chair": f'"{members[0]}"',
                "chair_name": quoted(names[0]),
                "members": f'["{'","'.join(members)}"]',
                "names": f"[{','.join([quoted(name) for name in names])}]",
            }
            if number == 5:
                record["note"] = PROPOSAL_NOTE
                summary = "Usulan Tim Panel Banding: " + ", ".join(names)
            else:
                record["changed"] = "false"
                summary = "Tim Panel Banding ditunjuk: " + ", ".join(names)
        elif number == 7:
            report, sha = self._doc(REPORT, 7, self.wt.instant(at_p), by)
            record = {"report": f'"{report}"', "summary": REPORT_SUMMARY}
            summary = "Laporan hasil investigasi diunggah"
            self.made[REPORT] = f'{{"document":"{report}","kind":"{REPORT}","sha256":"{sha}"}}'
        elif number == 9:
            decision = rng.choice(DECISIONS)
            minutes = rng.choice(texts.MINUTES)
            remedy = "" if decision == Decision.DISMISSED else rng.choice(texts.REMEDY_DECIDED)
            # Every seat present (quorate), the chair the first seat.
            attendance = ",".join(
                [
                    f'{{"chair":{"true" if i == 0 else "false"},'
                    f'"member":"{dashed(people[u].public_id)}",'
                    f'"name":{quoted(people[u].name)},"present":true,'
                    f'"role":"{"Ketua" if i == 0 else "Anggota"}","seat":{i + 1}}}'
                    for i, u in enumerate(self.seats)
                ]
            )
            seats = len(self.seats)
            # The meeting took place before it was recorded.
            meeting_at = clock.json(self._at(start_p, at_p, rng.uniform(0.3, 0.9)))
            record = {
                "attendance": f"[{attendance}]",
                "decision": f'"{decision}"',
                "dissent": "[]",
                "guests": "[]",
                "meeting_at": f'"{meeting_at}"',
                "minutes": quoted(minutes),
                "place": quoted(rng.choice(texts.PLACES)),
                "quorum": f'{{"present":{seats},"required":{seats // 2 + 1},"seats":{seats}}}',
                "reasons": quoted(texts.DECISION_REASONS),
                "remedy": quoted(remedy),
                "similar": NO_SIMILAR,
            }
            summary = f"Rapat panel memutuskan: {DECISION_LABELS[decision]}"
            facts.update(decision=decision, minutes=minutes, remedy=remedy)
        elif number == 10:
            if outcome == "approved":
                record = dict(APPROVED)
                summary = "Keputusan disetujui Kepala Balai dan didisposisikan"
            else:
                # The head returns it before signing the decision letter: none to withdraw.
                reasons = rng.choice(texts.RETURN_REASONS)
                record = {
                    "reasons": quoted(reasons),
                    "returned_decision": f'"{self.decision}"',
                    "withdrawn": "[]",
                }
                summary = "Keputusan dikembalikan kepada Tim Panel"
        elif number == 11:
            record = dict(DISPOSITIONED)
            summary = "Keputusan didisposisikan kepada staff PJTK"
        else:  # 12
            channel = rng.choice(STAFF_CHANNELS)
            archive = ("Lemari PJTK-2", f"Boks Banding {path.year}", path.number.replace("/", "-"))
            record = {
                "box": quoted(archive[1]),
                "cabinet": quoted(archive[0]),
                "channel": f'"{channel}"',
                "delivered_at": f'"{clock.json(self.wt.instant(at_p))}"',
                "folder": quoted(archive[2]),
            }
            summary = "Keputusan disampaikan kepada pelanggan; berkas diarsipkan"
            facts.update(channel=channel, archive=archive)
        return record, summary

    def _apply(self, path: Path, number: int, outcome: str, end: int) -> None:
        """What completing the step changes on the appeal (services._apply_verification,
        _seat_panel, _apply_decision, decision_approve/return, appeal_reject/close)."""
        state, facts = self.state, self.facts
        if number == 3:
            state["relevant"] = outcome == "relevant"
            state["relevance_reasons"] = facts["reasons"]
            self.team_applied = state["relevant"]
        elif number == 4:
            state.update(delivered_at=end, delivery_channel=facts["channel"], status="rejected")
            state["closed_at"] = end
        elif number == 6:
            self.appointed = end
        elif number == 9:
            self.decision, self.minutes = facts["decision"], facts["minutes"]
            self.remedy_decided = facts["remedy"]
        elif number == 10:
            if outcome == "approved":
                state["approved_at"] = end
            else:
                self.decision = self.remedy_decided = ""
        elif number == 12:
            state.update(delivered_at=end, delivery_channel=facts["channel"])
            state.update(archive=facts["archive"], status="closed", closed_at=end)

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

    def _letter(self, path: Path, letter: tuple, occurrence: int, by: int) -> str | None:
        """A letter of the step occurrence `occurrence` (banding.letters.services): drafted,
        then (unless still a draft) issued and signed by who may sign it; returns how the
        completed step's data describes an issued one (outputs.described)."""
        kind, _, drafted_p, issued_p, sequence, year, number = letter
        label = self.letter_labels[kind]
        step = self.letter_steps[kind]
        drafter = by if kind in DRAFTED_BY_ACTOR else self.staff
        drafted = self.wt.instant(drafted_p)
        public_id = uuid_hex(self.rng)
        shown = dashed(public_id)
        fields = self._letter_fields(path, kind)
        db = self.clock.db
        drafted_data = f'{{"kind":"{kind}","letter":"{shown}"}}'
        self._event(drafted, drafter, "letter.drafted", step, f"Draf {label} dibuat", drafted_data)
        if issued_p is None:
            self._table("letter").append(
                (self.n.take("letter"), public_id, self.appeal_id, kind, step, "draft", fields,
                 "", None, None, 1, "", "", None, drafter, db(drafted), db(drafted), None, None,
                 None, None, occurrence, False, "")
            )  # fmt: skip
            return None
        issued = self.wt.instant(issued_p)
        signer, on_behalf = self._signer(kind, by)
        signed_as = self.signed_as[kind][on_behalf]
        file = self.letter_files[kind]
        at = db(issued)
        self._table("letter").append(
            (self.n.take("letter"), public_id, self.appeal_id, kind, step, "issued", fields,
             number, sequence, year, 1, file.name, file.sha256, token(self.rng), drafter,
             db(drafted), at, at, signer, signer, at, occurrence, on_behalf, signed_as)
        )  # fmt: skip
        shown_number = quoted(number)
        data = (
            f'{{"kind":"{kind}","letter":"{shown}","number":{shown_number},'
            f'"on_behalf":{"true" if on_behalf else "false"},"reauthenticated":true,'
            f'"sha256":"{file.sha256}","signed_as":{quoted(signed_as)},"supersedes":null,'
            f'"version":1}}'
        )
        name = self.cast.people[signer].name
        capacity = signed_as.replace("\n", ", ")
        summary = (
            f"{label} {number} terbit, ditandatangani secara elektronik oleh {name} ({capacity})"
        )
        self._event(issued, signer, "letter.issued", step, summary, data, self.letter_public[kind])
        described = (
            f'{{"kind":"{kind}","letter":"{shown}","number":{shown_number},'
            f'"sha256":"{file.sha256}"}}'
        )
        self.made[kind] = described
        return described

    def _signer(self, kind: str, by: int) -> tuple[int, bool]:
        """Who signs a letter of `kind` (kinds.SPECS[kind].signer, the setting in force) and
        whether on behalf of the official (a.n.): the step's own actor when they may, else
        someone who may; never the person involved in the original activity. A share of
        the letters in the head's name are signed by the Ketua Tim PJTK a.n. Kepala Balai."""
        rule = self.signer_rules[kind]
        on_behalf = rule.on_behalf is not None and self.rng.random() < ON_BEHALF.get(kind, 0.0)
        actor = (rule.on_behalf if on_behalf else rule.actor).value
        people = (self.seats[0],) if actor == TPB else self._not_involved(self._players(actor))
        signer = by if by in people else self._pick(people)
        if on_behalf and signer in self._players(rule.actor.value):
            on_behalf = False  # plays the official too: signs as such (services.capacity)
        return signer, on_behalf

    def _letter_fields(self, path: Path, kind: str) -> str:
        """The written parts as banding.letters.render.defaults fills them for this case, as
        the canonical JSON of the letter's fields (keys in order); the facts are printed from
        the record of the step, not stored here."""
        number = path.number
        if kind == "nota_dinas":
            isi = (
                f"Bersama ini kami sampaikan permohonan banding dari "
                f"{self.org_names[self.org_id]} atas hasil penanganan keluhan "
                f"{self.complaint_reference} yang telah kami verifikasi lengkap dan relevan. "
                "Mohon Saudara berkoordinasi dengan Kepala Balai untuk pembentukan Tim Panel "
                "Banding."
            )
            return f'{{"isi":{quoted(isi)},"perihal":{quoted(SUBJECTS[kind] + number)}}}'
        if kind == "keputusan":
            # Prose the head may rewrite, starting from the minutes of the latest meeting.
            return (
                f'{{"perihal":{quoted(SUBJECTS[kind] + number)},'
                f'"pertimbangan":{quoted(self.minutes)}}}'
            )
        if kind == "penunjukan_panel":
            tugas = PANEL_TASK.format(number=number)
            return f'{{"perihal":{quoted(SUBJECTS[kind] + number)},"tugas":{quoted(tugas)}}}'
        empty = "isi" if kind == "penyampaian" else "catatan"
        return f'{{"{empty}":"","perihal":{quoted(SUBJECTS[kind] + number)}}}'

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
