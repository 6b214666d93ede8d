"""When each generated appeal's steps start and end, in working time.

An appeal's path follows the SOP definition: staff intake (steps 1-2 at once) or online
submission (step 2 waits for the staff), verification, then either the rejection letter (step 4)
or the panel (5, 6, 7, 9, 10 — sometimes returned to 9 — 11, 12). Each completed step takes a
share of its standard working time drawn per step: most finish early, some in the at-risk
stretch, some late (the 15-minute steps 11 and 12 often late), so the monitoring report shows
late steps. Closed appeals are received at random over the period; an open appeal stands at
one step, started recently enough that most open steps are on time, some at risk, some overdue.
Within each step, outputs() places the record of a record-first step and the letters the step
requires, drafted and issued before it completes (an open step part of the way).

Everything is a working-time *position* (seconds, bench.bulk.worktime), so a
duration in working time is a subtraction."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from banding.letters.kinds import spec
from banding.sop import definition as sop
from banding.sop.definition import Unit

HOUR = 3600
WORKDAY = int(8.5 * HOUR)  # an office day, for estimates only (deadlines are exact)
OPEN_STEPS = (2, 3, 4, 5, 6, 7, 9, 10, 11, 12)  # an open appeal may stand at any of these
RELEVANT_SHARE = 0.75
PORTAL_SHARE = 0.25
RETURN_SHARE = 0.1  # relevant appeals whose decision the head returns to the panel once


@dataclass(slots=True)
class Path:
    """One appeal's steps: (number, outcome, start position, end position or None)."""

    portal: bool
    relevant: bool | None  # None while step 3 is undecided
    steps: list[tuple[int, str, int, int | None]]
    received: int  # position
    created: int  # position (when the register number was taken)
    # Given in register order (bench.bulk.plan): the register number, and each
    # letter's (kind, step index, drafted, issued, sequence, year, number): a draft (issued
    # None) has no number. `recorded`: step index -> when a record-first step's facts were
    # recorded (outputs()).
    number: str = ""
    year: int = 0
    sequence: int = 0
    letters: list = field(default_factory=list)
    recorded: dict = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.steps[-1][3] is None


def estimate(number: int) -> int:
    """A step's standard time in working seconds, roughly."""
    waiting = sop.step(number).waktu
    if waiting.unit is Unit.MINUTE:
        return waiting.amount * 60
    return waiting.amount * WORKDAY


# Looked up a million times per 100,000 appeals.
_ESTIMATES = {step.number: estimate(step.number) for step in sop.STEPS}


def share(rng: random.Random, number: int) -> float:
    """How much of its standard time a completed step took."""
    r = rng.random()
    if number in (11, 12, 2):  # fifteen minutes: often more
        if r < 0.7:
            return rng.uniform(0.2, 0.8)
        return 1.0 + rng.expovariate(1 / 4)
    if number == 7:
        if r < 0.72:
            return rng.uniform(0.2, 0.75)
        if r < 0.92:
            return rng.uniform(0.75, 1.0)
        return 1.0 + rng.expovariate(1 / 0.3)
    if r < 0.84:
        return rng.uniform(0.05, 0.75)
    if r < 0.92:
        return rng.uniform(0.75, 1.0)
    return 1.0 + min(rng.expovariate(1 / 0.8), 6.0)


def elapsed(rng: random.Random) -> float:
    """How much of its standard time an open step has used by now."""
    r = rng.random()
    if r < 0.55:
        return rng.uniform(0.0, 0.75)
    if r < 0.78:
        return rng.uniform(0.75, 1.0)
    return 1.0 + rng.expovariate(1 / 0.6)


def _route(rng: random.Random, stop: int | None) -> tuple[bool, bool, list[tuple[int, str]]]:
    """(portal, relevant, [(step, outcome)]) up to `stop` (the open step) or to the end."""
    portal = stop == 2 or ((stop is None or stop > 2) and rng.random() < PORTAL_SHARE)
    if stop == 4:
        relevant = False
    elif stop is not None and stop in (2, 3):
        relevant = rng.random() < RELEVANT_SHARE
    else:
        relevant = stop is not None or rng.random() < RELEVANT_SHARE
    route = [(1, "submitted"), (2, "recorded")]
    route.append((3, "relevant" if relevant else "not_relevant"))
    if not relevant:
        route.append((4, "rejected"))
    else:
        route += [(5, "proposed"), (6, "appointed"), (7, "investigated"), (9, "decided")]
        if rng.random() < RETURN_SHARE:
            route += [(10, "returned"), (9, "decided")]
        route += [(10, "approved"), (11, "dispositioned"), (12, "closed")]
    if stop is not None:
        # The last occurrence of the open step is where it stands (after a return, the
        # second meeting or the second approval).
        last = max(i for i, (n, _) in enumerate(route) if n == stop)
        route = [*route[:last], (stop, "")]
    return portal, relevant, route


def sample(rng: random.Random, *, is_open: bool, now: int, earliest: int) -> Path:
    """One appeal's path, ending before `now` (closed) or standing at an open step."""
    stop = rng.choice(OPEN_STEPS) if is_open else None
    portal, relevant, route = _route(rng, stop)
    durations = []
    for number, outcome in route:
        if number == 1 or not outcome:
            durations.append(0)
        else:
            durations.append(max(60, int(share(rng, number) * _ESTIMATES[number])))
    total = sum(durations)
    if is_open:
        received = now - total - int(elapsed(rng) * _ESTIMATES[stop])
    else:
        latest = now - total - HOUR
        received = rng.randint(earliest, max(earliest, latest))
    received = max(received, earliest)
    steps = []
    position = received
    for (number, outcome), duration in zip(route, durations, strict=True):
        if number == 1:
            steps.append((1, outcome, received, received))
            continue
        start = received if number == 2 and not portal else position
        end = start + duration if outcome else None
        steps.append((number, outcome, start, end))
        position = end if end is not None else position
    created = received if portal else steps[1][3]
    return Path(portal, None if stop in (2, 3) else relevant, steps, received, created)


# The letters each step makes itself for an outcome, in the order the SOP definition requires
# them (Step.required): the required outputs that are letters of that step's own kind. Step
# 11's decision letter is step 10's, passed on; step 7's report is a document (history.py).
LETTERS_OF: dict[tuple[int, str], tuple[str, ...]] = {
    (s.number, o.key.value): tuple(
        r.key for r in s.required(o.key) if r.letter and spec(r.key).step.number == s.number
    )
    for s in sop.STEPS
    for o in s.outcomes
}
# Steps whose actor records the facts first, the letters then made from that record.
RECORD_FIRST = frozenset(s.number for s in sop.STEPS if s.record_first)
# The outcome an open step is recorded with, or prepares its letters for: the usual way (a
# record of step 3 that finds the appeal not relevant completes it at once).
EXPECTED = {s.number: s.outcomes[0].key.value for s in sop.STEPS}
# How far an open step has got by now: recorded (a record-first step), and each of its
# letters drafted, or drafted and issued.
OPEN_RECORDED = 0.5
OPEN_DRAFTED = 0.5
OPEN_ISSUED = 0.25


def outputs(rng: random.Random, path: Path, now: int) -> None:
    """When each step's record and letters are made (positions), into path.recorded (step
    index -> when its facts were recorded) and path.letters ((kind, step index, drafted,
    issued) each; issued None for a draft). A completed step has every letter its outcome
    requires issued before it completes; a record-first step records first (the meeting of
    step 9 is recorded after it took place, later in the step), then each letter is drafted
    and issued in turn. An open step (standing at `now`) may have got part of the way."""
    found = []
    for index, (number, outcome, start, end) in enumerate(path.steps):
        if end is not None:
            kinds = LETTERS_OF.get((number, outcome), ())
            if not kinds:
                continue
            begin = start
            if number in RECORD_FIRST:
                low, high = (0.4, 0.8) if number == 9 else (0.05, 0.5)
                begin = start + int((end - start) * rng.uniform(low, high))
                path.recorded[index] = begin
            for kind in kinds:
                drafted = begin + int((end - begin) * rng.uniform(0.05, 0.4))
                issued = drafted + int((end - drafted) * rng.uniform(0.1, 0.6))
                found.append((kind, index, drafted, issued))
                begin = issued
            continue
        kinds = LETTERS_OF.get((number, EXPECTED[number]), ())
        if not kinds or now - start < 60:
            continue
        begin = start
        if number in RECORD_FIRST:
            if rng.random() >= OPEN_RECORDED:
                continue
            begin = start + int((now - start) * rng.uniform(0.1, 0.6))
            path.recorded[index] = begin
        for kind in kinds:
            roll = rng.random()
            if roll >= OPEN_DRAFTED:
                continue
            drafted = begin + int((now - begin) * rng.uniform(0.05, 0.5))
            issued = None
            if roll < OPEN_ISSUED:
                issued = drafted + int((now - drafted) * rng.uniform(0.1, 0.8))
            found.append((kind, index, drafted, issued))
            begin = issued or drafted
    path.letters = found
