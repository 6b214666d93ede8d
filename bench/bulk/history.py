"""The rows one generated appeal leaves, as the services would have written them: the appeal
with its denormalised current step, its step occurrences with deadlines, measured working
time and (record-first steps) what their actor recorded, documents, panel seats and
declarations, investigation notes, the letters each step requires (issued before the step
completed, bound to its occurrence; an open step's perhaps still drafts), the survey answer,
the notices, and the audit events with their hash chain.

Actions, summaries, data and public flags are those of banding.appeals.services,
banding.letters.services, banding.survey.services and the deadline sweep (banding.appeals.sla);
notices go to the people banding.appeals.actors.Players names, as banding.notifications.events
and the sweep send them. E-mails (the outbox) are not generated: every notice would have been
mailed and the mails sent long ago, and the worker should find an empty outbox."""

from __future__ import annotations

import hmac
import random
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from banding.appeals.models import Channel
from banding.audit.keys import keyring
from banding.letters import services as letters
from banding.letters.kinds import SPECS
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor
from bench.bulk import texts
from bench.bulk.actions import Actions
from bench.bulk.files import Pool
from bench.bulk.formats import CLOCK, DAY, Clock, dashed, uuid_hex
from bench.bulk.people import Cast
from bench.bulk.timeline import Path
from bench.bulk.vocabulary import (
    ACTION_JSON,
    ASSIGNED,
    AT_RISK,
    DOC_LABELS,
    ESCALATION,
    MILESTONE,
    MILESTONES,
    MINUTES_DOC,
    NOTICE_READ_AFTER,
    OVERDUE,
    SERVICE_WEIGHTS,
    SERVICES,
    STAFF_CHANNELS,
    STEPS,
    STF,
    SURVEY_SHARE,
    TABLE_NAMES,
    TEK,
    TPB,
    action_json,
    canonical,
    quoted,
)
from bench.bulk.worktime import WorkTime

# A step row's recorded_outcome, recorded_data, recorded_at, recorded_by when its actor
# recorded nothing apart (not a record-first step, or not recorded yet).
NOT_RECORDED = ("", "{}", None, None)


@cache
def _sealer() -> tuple[str, hmac.HMAC]:
    """The signing key's id and an HMAC-SHA256 keyed with it (banding.audit.keys), read once:
    each event's MAC is a copy of this one, cheaper than keying a new one (two million times)."""
    ring = keyring()
    return ring.signing, hmac.new(ring.signing_key, digestmod="sha256")


@dataclass
class Numbers:
    """The next id of each table (ids are given by the generator: the audit chain's order
    is the event id)."""

    ids: dict[str, int]

    def take(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value


class Builder(Actions):
    """Turns sampled paths into rows, appeal by appeal, in register order."""

    def __init__(
        self,
        *,
        worktime: WorkTime,
        clock: Clock,
        cast: Cast,
        pool: Pool,
        now: int,
        seed: int | str,
        notice_days: int | None = None,
    ) -> None:
        self.wt = worktime
        self.clock = clock
        self.cast = cast
        self.pool = pool
        self.now = now
        self.now_position = worktime.position(now)
        self.notices_from = now - notice_days * 86400 if notice_days else -(2**62)
        self.rng = random.Random(seed)
        self.rows: dict[str, list[tuple]] = {name: [] for name in TABLE_NAMES}
        self.n: Numbers | None = None
        self.org_weights = list(accumulate(cast.weights))
        self.cases = {s: texts.case_texts(self.rng, s, 300) for s in SERVICES}
        self.checklist = sop.step(3).checklist
        self.players: dict[str, tuple[int, ...]] = {a.value: () for a in Actor}
        self.players.update(cast.players)
        self.org_names = {org_id: name for org_id, name, _ in cast.organizations}
        self.letter_files = {k: f for k, f in pool.letters.items()}
        # Each kind's label, step, signer rule (the setting in force) and signature lines,
        # and whether its letter.issued event is public (letters.services.letter_issue).
        self.letter_labels = {kind: k.label for kind, k in SPECS.items()}
        self.letter_steps = {kind: k.step.number for kind, k in SPECS.items()}
        self.signer_rules = {kind: k.signer for kind, k in SPECS.items()}
        self.signed_as = {
            kind: {False: letters.signed_as(k, False), True: letters.signed_as(k, True)}
            for kind, k in SPECS.items()
        }
        self.letter_public = {
            kind: k.to_customer and k.delivered_by is None for kind, k in SPECS.items()
        }
        self.involvable = self._involvable()

    def _involvable(self) -> tuple[int, ...]:
        """Who may be named as involved in the original activity: anyone who may sit on a
        panel but the only person who may sign a kind of letter (an involved person signs
        none of the appeal's letters: with one Ketua Tim PJTK, the nota dinas could not be
        issued)."""
        sole = set()
        for rule in self.signer_rules.values():
            if Actor.TPB in (rule.actor, rule.on_behalf) or rule.actor == Actor.TEK:
                continue  # the panel's chair and the team's signer are chosen among the others
            people = set(self.players[rule.actor.value])
            if rule.on_behalf is not None:
                people |= set(self.players[rule.on_behalf.value])
            if len(people) == 1:
                sole |= people
        return tuple(u for u in self.cast.panel_pool if u not in sole)

    def reset(self) -> dict[str, list[tuple]]:
        """The rows built since the last reset."""
        rows, self.rows = self.rows, {name: [] for name in TABLE_NAMES}
        return {name: found for name, found in rows.items() if found}

    # -- helpers ------------------------------------------------------------------------------

    def _table(self, name: str) -> list[tuple]:
        return self.rows[name]

    def _event(self, t, actor, action, step, summary, data, public=False) -> None:
        self.events.append((t, len(self.events), actor, action, step, summary, data, public))

    def _notify(self, recipients, kind: str, step_id: int, t: int, message: str) -> None:
        if t < self.notices_from:
            return  # older than the notices kept (see seed_bulk's notice_days)
        for user_id in recipients:
            self.notices.append((user_id, kind, step_id, t, message))

    def _at(self, start: int, end: int, share: float) -> int:
        """The instant at `share` of the working time from position `start` to `end`."""
        return self.wt.instant(start + max(1, int((end - start) * share)))

    def _pick(self, people: tuple[int, ...]) -> int:
        return people[int(self.rng.random() * len(people))]

    def _doc(self, kind: str, step: int, t: int, user: int) -> tuple[str, str]:
        """A document row on a pool file, with its event; returns its public id (dashed)
        and SHA-256."""
        choices = self.pool.documents[kind]
        file = choices[int(self.rng.random() * len(choices))]
        public_id = uuid_hex(self.rng)
        self._table("document").append(
            (
                self.n.take("document"),
                public_id,
                self.appeal_id,
                kind,
                step,
                file.name,
                file.original_name,
                file.content_type,
                file.size,
                file.sha256,
                user,
                self.clock.db(t),
            )
        )
        shown = dashed(public_id)
        data = f'{{"document":"{shown}","kind":"{kind}","sha256":"{file.sha256}"}}'
        summary = f"Dokumen ditambahkan: {DOC_LABELS[kind]} ({file.original_name})"
        self._event(t, user, "document.added", step, summary, data)
        return shown, file.sha256

    # -- one appeal -----------------------------------------------------------------------------

    def build(self, path: Path, numbers: Numbers) -> None:
        self.n = numbers
        self.events: list[tuple] = []
        self.notices: list[tuple] = []
        self.appeal_id = numbers.take("appeal")
        self._identity(path)
        self._walk(path)
        self._seat_rows()
        self._appeal_row(path)
        self._hash_events()
        self._notice_rows()

    def _identity(self, path: Path) -> None:
        rng, cast = self.rng, self.cast
        org = cast.organizations[bisect(self.org_weights, rng.random() * self.org_weights[-1])]
        self.org_id, self.org_phone = org[0], org[2]
        self.customers = cast.customers[org[0]]
        self.contact = self._pick(self.customers)
        service = SERVICES[bisect(SERVICE_WEIGHTS, rng.random() * SERVICE_WEIGHTS[-1])]
        self.service = service
        pool = self.cases[service]
        self.grounds, self.remedy, self.reference = pool[int(rng.random() * len(pool))]
        self.channel = Channel.PORTAL.value if path.portal else rng.choice(STAFF_CHANNELS)
        self.received = self.wt.instant(path.received)
        self.created = self.wt.instant(path.created)
        self.staff = self._pick(self.players[STF]) if self.players[STF] else None
        self.creator = self.contact if path.portal else self.staff
        self.public_id = uuid_hex(rng)
        # Someone of the institute involved in the original activity, now and then.
        self.involved = self._pick(self.involvable) if rng.random() < 0.15 else None
        self.complaint_reference = f"KEL/{path.year}/{rng.randint(1, 999):03d}"
        self.outcome_date = self.clock.local_date(self.received - rng.randint(3, 30) * 86400)
        self.team = None
        self.team_applied = False  # the appeal's technical team once step 3 completes
        self.seats: list[int] = []
        self.made: dict[str, str] = {}  # the latest output of each kind, as outputs describe it
        self.facts: dict = {}  # what completing the step being recorded changes (Actions)
        self.appointed: int | None = None
        self.declared: dict[int, int] = {}
        self.minutes = ""
        self.decision = ""
        self.remedy_decided = ""
        self.state = {
            "relevant": None,
            "relevance_reasons": "",
            "approved_at": None,
            "delivered_at": None,
            "delivery_channel": "",
            "archive": ("", "", ""),
            "closed_at": None,
            "status": "open",
            "current": None,
        }

    def _players(self, actor: str) -> tuple[int, ...]:
        if actor == TPB:
            return tuple(self.seats)
        if actor == TEK:
            return self.cast.team_members.get(self.team[0], ()) if self.team else ()
        return self.players[actor]

    def _panel(self) -> None:
        """The technical team (one with a member not involved in the original activity, who
        signs its usulan), and the panel: two or three people, chair first, none of them
        involved."""
        rng, cast = self.rng, self.cast
        teams = cast.teams
        if self.involved is not None:
            members = cast.team_members
            teams = [t for t in teams if any(u != self.involved for u in members[t[0]])]
        self.team = teams[int(rng.random() * len(teams))]
        pool = [u for u in cast.panel_pool if u != self.involved]
        size = 3 if rng.random() < 0.8 else 2
        self.seats = rng.sample(pool, size)

    def _walk(self, path: Path) -> None:
        by_step: dict[int, list[tuple]] = {}
        for letter in path.letters:
            by_step.setdefault(letter[1], []).append(letter)
        for index, (number, outcome, start_position, end_position) in enumerate(path.steps):
            self._step(
                path, number, outcome, start_position, end_position,
                path.recorded.get(index), by_step.get(index, ()),
            )  # fmt: skip
        if self.state["status"] != "open" and self.rng.random() < SURVEY_SHARE:
            self._survey()

    def _step(
        self, path: Path, number: int, outcome: str, start_p: int, end_p, recorded_p, letters
    ) -> None:
        rng, wt, clock = self.rng, self.wt, self.clock
        actor, title, s = STEPS[number]
        ids = self.n.ids
        step_id = ids["step"]
        ids["step"] = step_id + 1
        start = self.received if number == 1 else wt.instant(start_p)
        due, at_risk = wt.deadline(number, start)
        done = end_p is not None
        end = (start if number == 1 else wt.instant(end_p)) if done else None
        # Until when things happen inside the step: its end, or now for the open step.
        until_p = end_p if done else self.now_position
        opened = number >= 3 or (number == 2 and path.portal)
        if opened and start >= self.notices_from:
            message = (
                f"Giliran Anda: langkah {number} ({title}) banding {path.number}, "
                f"tenggat {clock.wib(due)}."
            )
            self._notify(self._players(actor), ASSIGNED, step_id, start, message)
        by = None
        data: dict | str = "{}"
        if number == 1:
            data = f'{{"channel":"{self.channel}"}}'
            if path.portal:
                by = self.contact
                self._registered(path, "appeal.submitted", 1)
        elif number == 2:
            by = self.staff
            if path.portal and done:
                data = self._recorded(end)
            elif not path.portal:
                self._registered(path, "appeal.registered", 2)
        elif number == 7:
            self._investigation(start_p, until_p, done)
        elif number == 9 and done and rng.random() < 0.25:
            chair = self.seats[0]
            self._doc(MINUTES_DOC, 9, self._at(start_p, end_p, 0.5), chair)
        notified_risk = notified_over = None
        if opened and done and (at_risk + 60 < min(end, due) or end > due + 60):
            notified_risk, notified_over = self._sweeps(path, s, step_id, due, at_risk, end)
        recorded = None
        if number > 2 and (done or recorded_p is not None or letters):
            # The events are put in order by time (_hash_events); those at the same instant
            # in the order written here.
            by, data, recorded = self._act(
                path, step_id, number, outcome, start_p, end_p, recorded_p, letters
            )
        if done:
            # deadlines.working_minutes: the positions are the working time already.
            minutes = (end_p - start_p) // 60 if end > start else 0
            within = end <= due
            milestone = MILESTONES.get((number, outcome))
            if milestone is not None and end >= self.notices_from:
                message = f"Banding {path.number} — {milestone.label}: {milestone.told}"
                t = self.created if number == 1 else end
                self._notify(self.customers, MILESTONE, step_id, t, message)
        else:
            by = None
            minutes = within = None
            self.state["current"] = (number, actor, start, due, at_risk)
        # Clock.db, spelled out: four to six instants for each of the ±860,000 steps.
        days, base, suffix = clock.days, clock.base, clock.db_suffix
        self.rows["step"].append(
            (
                step_id,
                self.appeal_id,
                number,
                actor,
                f"{days[start // DAY - base]} {CLOCK[start % DAY]}{suffix}",
                f"{days[end // DAY - base]} {CLOCK[end % DAY]}{suffix}" if done else None,
                by,
                outcome,
                f"{days[due // DAY - base]} {CLOCK[due % DAY]}{suffix}",
                f"{days[at_risk // DAY - base]} {CLOCK[at_risk % DAY]}{suffix}",
                None if notified_risk is None else clock.db(notified_risk),
                None if notified_over is None else clock.db(notified_over),
                minutes,
                within,
                data if type(data) is str else canonical(data),
                *(
                    NOT_RECORDED
                    if recorded is None
                    else (recorded[0], recorded[1], clock.db(recorded[2]), recorded[3])
                ),
            )
        )

    def _sweeps(self, path, s, step_id, due, at_risk, end) -> tuple[int | None, int | None]:
        """What the deadline sweep (banding.appeals.sla) did while the step was open: the
        at-risk reminder, then the overdue notice with its escalation (_step calls it only
        when there is one)."""
        number, actor, rng = s.number, STEPS[s.number][0], self.rng
        notified_risk = notified_over = None
        deadline = self.clock.wib(due)
        what = f"langkah {number} ({s.title})"
        data = f'"actor":"{actor}","due_at":"{self.clock.json(due)}"'
        if at_risk + 60 < min(end, due):
            t = notified_risk = at_risk + rng.randint(1, 59)
            message = f"Langkah {number} ({s.title}) banding {path.number} hampir jatuh tempo: "
            message += f"batas waktunya {deadline}."
            self._notify(self._players(actor), AT_RISK, step_id, t, message)
            summary = f"Pengingat: {what} hampir jatuh tempo, batas waktu {deadline}"
            at_risk_data = f'{{{data},"step_id":{step_id}}}'
            self._event(t, None, "deadline.at_risk", number, summary, at_risk_data)
        if end > due + 60:
            t = notified_over = due + rng.randint(1, 59)
            notified_risk = notified_risk or t
            actors = self._players(actor)
            boss = sop.ESCALATION[s.actor]
            supervisors = sorted(set(self._players(boss)) - set(actors)) if boss else []
            message = f"Langkah {number} ({s.title}) banding {path.number} terlambat: batas "
            message += f"waktunya {deadline} sudah lewat."
            self._notify(actors, OVERDUE, step_id, t, message)
            executor = ACTOR_LABELS[s.actor]
            if s.actor == Actor.TEK and self.team:
                executor += f" ({self.team[2]})"
            message = f"Eskalasi: {what} banding {path.number}, pelaksana {executor}, "
            message += f"terlambat sejak {deadline}."
            self._notify(supervisors, ESCALATION, step_id, t, message)
            summary = f"Terlambat: {what} melewati batas waktu {deadline}"
            if supervisors:
                summary += "; dieskalasi"
            overdue = f'{{{data},"escalated_to":{len(supervisors)},"step_id":{step_id}}}'
            self._event(t, None, "deadline.overdue", number, summary, overdue)
        return notified_risk, notified_over

    def _seat_rows(self) -> None:
        if self.appointed is None:
            return
        db = self.clock.db
        seats = self._table("seat")
        for i, user in enumerate(self.seats):
            declared = self.declared.get(user)
            seats.append(
                (
                    self.n.take("seat"),
                    self.appeal_id,
                    user,
                    "chair" if i == 0 else "member",
                    db(self.appointed),
                    db(declared),
                    # "tidak ada konflik" once declared (conflicts are not generated)
                    None if declared is None else False,
                )
            )

    def _appeal_row(self, path: Path) -> None:
        state, db = self.state, self.clock.db
        current = state["current"]
        if current is not None:
            step, actor, since, due, at_risk = current
        else:
            step, actor, since, due, at_risk = None, "", None, None, None
        cabinet, box, folder = state["archive"]
        self._table("appeal").append(
            (
                self.appeal_id,
                self.public_id,
                path.number,
                path.year,
                path.sequence,
                self.org_id,
                self.cast.people[self.contact].name,
                self.cast.people[self.contact].email,
                self.org_phone,
                self.channel,
                db(self.received),
                self.complaint_reference,
                self.outcome_date,
                self.service,
                self.reference,
                self.grounds,
                self.remedy,
                "",
                state["relevant"],
                state["relevance_reasons"],
                self.team[0] if self.team_applied else None,
                self.decision,
                self.remedy_decided,
                db(state["approved_at"]),
                db(state["delivered_at"]),
                state["delivery_channel"],
                cabinet,
                box,
                folder,
                state["status"],
                step,
                actor,
                db(since),
                db(due),
                db(at_risk),
                self.creator,
                db(self.created),
                db(state["closed_at"]),
            )
        )

    def _hash_events(self) -> None:
        """The appeal's events in order, chained with the log's MAC key (banding.audit.chain),
        and its chain head."""
        events = self.events
        events.sort()
        rows = self.rows["event"]
        appeal_id = self.appeal_id
        appeal = str(appeal_id)
        days, base, suffix = self.clock.days, self.clock.base, self.clock.db_suffix
        actions = ACTION_JSON
        key_id, keyed = _sealer()
        fresh = keyed.copy
        ids = self.n.ids
        event_id = ids["event"] - 1
        ids["event"] += len(events)
        prev = ""
        for t, _, actor, action, step, summary, data, public in events:
            event_id += 1
            day, clock = days[t // DAY - base], CLOCK[t % DAY]
            if type(data) is not str:
                data = canonical(data)
            payload = (
                f'{{"action":{actions.get(action) or action_json(action)},'
                f'"actor":{"null" if actor is None else actor},'
                f'"appeal":{appeal},"created_at":"{day}T{clock}+00:00","data":{data},'
                f'"key":"{key_id}","prev":"{prev}","public":{"true" if public else "false"},'
                f'"step":{"null" if step is None else step},'
                f'"summary":{quoted(summary)}}}'
            )
            hasher = fresh()
            hasher.update(payload.encode())
            digest = hasher.hexdigest()
            rows.append(
                (event_id, appeal_id, actor, action, step, summary, data, public,
                 f"{day} {clock}{suffix}", prev, digest, key_id)
            )  # fmt: skip
            prev = digest
        self.rows["chain"].append((appeal_id, event_id, prev, len(events)))

    def _notice_rows(self) -> None:
        rows, rng, db, now = self._table("notification"), self.rng, self.clock.db, self.now
        for user_id, kind, step_id, t, message in self.notices:
            age = now - t
            read = None
            if rng.random() < (0.9 if age > NOTICE_READ_AFTER else 0.4) and age > 120:
                read = t + 60 + int(rng.random() * min(age - 60, 2 * 86400))
            rows.append(
                (
                    self.n.take("notification"),
                    uuid_hex(rng),
                    user_id,
                    kind,
                    self.appeal_id,
                    step_id,
                    message,
                    db(t),
                    db(read),
                )
            )
