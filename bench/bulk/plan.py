"""What to generate: N sampled paths in register order, with their register and letter
numbers continuing the sequences already in the database."""

from __future__ import annotations

import random
from datetime import date

from django.conf import settings

from banding.letters.numbering import format_number
from bench.bulk.formats import Clock
from bench.bulk.timeline import Path, outputs, sample
from bench.bulk.worktime import WorkTime


def paths(
    rng: random.Random,
    *,
    count: int,
    open_share: float,
    worktime: WorkTime,
    now: int,
    first: int,
) -> list[Path]:
    """`count` paths received between `first` and `now` (epoch seconds), in the order their
    register numbers are taken."""
    now_position = worktime.position(now)
    earliest = worktime.position(first)
    found = []
    for _ in range(count):
        path = sample(rng, is_open=rng.random() < open_share, now=now_position, earliest=earliest)
        if not path.open and path.steps[-1][3] >= now_position:
            # Longer than the period allows: it is still open, at its last step.
            number, _, start, _ = path.steps[-1]
            path.steps[-1] = (number, "", start, None)
        outputs(rng, path, now_position)
        found.append(path)
    found.sort(key=lambda p: p.created)
    return found


def number(
    found: list[Path],
    *,
    worktime: WorkTime,
    clock: Clock,
    register: dict[int, int],
    letter_sequences: dict[tuple[str, int], int],
) -> None:
    """Give each path its register number, and each issued letter its number, in the order
    they were taken; `register` and `letter_sequences` (the last numbers so far) are
    advanced. A draft has none."""
    fmt = settings.BANDING_REGISTER_FORMAT
    issued = []
    for index, path in enumerate(found):
        year, _ = clock.local_year_month(worktime.instant(path.created))
        register[year] = register.get(year, 0) + 1
        path.year, path.sequence = year, register[year]
        path.number = fmt.format(year=year, seq=path.sequence)
        for i, (kind, _, _, at, *_) in enumerate(path.letters):
            if at is not None:
                issued.append((at, index, i, kind))
    issued.sort()
    for at, index, i, kind in issued:
        year, month = clock.local_year_month(worktime.instant(at))
        key = (kind, year)
        letter_sequences[key] = letter_sequences.get(key, 0) + 1
        sequence = letter_sequences[key]
        path = found[index]
        text = format_number(kind, sequence, date(year, month, 1))
        path.letters[i] = (*path.letters[i][:4], sequence, year, text)
    for path in found:  # the drafts: no sequence, year or number
        path.letters = [
            letter if len(letter) == 7 else (*letter, None, None, "") for letter in path.letters
        ]
