"""When each generated appeal's steps start and end, in working time.

An appeal's path follows the SOP definition: staff intake (steps 1-2 at once) or online
submission (step 2 waits for the staff), verification, then either the rejection letter (step 4)
or the panel (5, 6, 7, 9, 10 — sometimes returned to 9 — 11, 12). Each completed step takes a
share of its standard working time drawn per step: most finish early, some in the at-risk
stretch, some late (the 15-minute steps 11 and 12 often late), so the monitoring report shows
late steps. Closed appeals are received at random over the period; an open appeal stands at
one step, started recently enough that most open steps are on time, some at risk, some overdue.

Everything is a working-time *position* (seconds, banding.appeals.bulk.worktime), so a
duration in working time is a subtraction."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

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
    # Given in register order (banding.appeals.bulk.plan): the register number, and each
    # letter's (kind, step, drafted, issued, sequence, year, number).
    number: str = ""
    year: int = 0
    sequence: int = 0
    letters: list = field(default_factory=list)

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


# Letters issued on the way, by the step that produces each (banding.letters.kinds): the nota
# dinas of a relevant verification, the rejection letter, the decision and its delivery.
LETTER_OF_STEP = {(3, "relevant"): "nota_dinas", (4, "rejected"): "penolakan"}
LETTER_OF_STEP |= {(10, "approved"): "keputusan", (12, "closed"): "penyampaian"}
# Not every letter is issued in the system (some go out on paper): the share that is.
LETTER_SHARE = {"nota_dinas": 0.9, "penolakan": 0.9, "keputusan": 0.6, "penyampaian": 0.3}


def letters(rng: random.Random, path: Path) -> list[tuple[str, int, int, int]]:
    """(kind, step, drafted, issued) positions: drafted and issued while the step is open and
    before it completes (a closed appeal's file takes no letter)."""
    found = []
    for number, outcome, start, end in path.steps:
        kind = LETTER_OF_STEP.get((number, outcome))
        if kind is None or end is None or rng.random() >= LETTER_SHARE[kind]:
            continue
        span = end - start
        drafted = start + int(span * rng.uniform(0.1, 0.6))
        issued = drafted + int((end - drafted) * rng.uniform(0.3, 0.9))
        found.append((kind, number, drafted, issued))
    return found
