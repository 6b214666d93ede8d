"""The checked-in transcription of the signed SOP (SOP-5.1.24.verbatim.md beside this file),
read into the fields the definition carries, so that tests compare the two word for word.

The file's own conventions (its introduction and "OCR errors mended"): "—" is a cell that shows
a dash in the source ("-"); an italic "*(…)*" is the transcriber's note, not the SOP's text;
step 3's "(keputusan: A / B)" gives the labels written beside the diamond; the Pelaksana column
is a reading of the lost symbols, marked "(inferred)" where it is a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "SOP-5.1.24.verbatim.md"
DASH = "—"  # the transcription's mark for a cell that shows "-"
NOTE = re.compile(r"\s*\*\(.*?\)\*", re.DOTALL)
DECISION = re.compile(r"^(?P<activity>.*) \(keputusan: (?P<labels>[^)]*)\)$")


@dataclass(frozen=True)
class Row:
    number: int
    activity: str
    decision_labels: tuple[str, ...]  # beside the diamond, for a decision step
    pelaksana: str  # the transcriber's reading, without "(inferred)"
    kelengkapan: str
    waktu: str
    output: str
    keterangan: str  # "-" where the source shows a dash


def text() -> str:
    return PATH.read_text(encoding="utf-8")


def _part(heading: str) -> str:
    """The text under a "## heading" up to the next one."""
    body = text().split(f"\n## {heading}\n", 1)[1]
    return body.split("\n## ", 1)[0]


def identity() -> dict[str, str | list[str]]:
    """The identity sheet: "NAMA SOP" and "NOMOR" as text, every numbered section (by its
    heading, e.g. "DASAR HUKUM") as the list of its items, lines joined and notes dropped."""
    found: dict[str, str | list[str]] = {}
    heading = ""
    for line in _part("Lembar identitas").splitlines():
        if match := re.fullmatch(r"\*\*([A-Z /]+):\*\*\s*(.*)", line):
            heading, value = match.groups()
            found[heading] = value if value else []
        elif match := re.fullmatch(r"\d+\. (.*)", line):
            found[heading].append(match.group(1))
        elif line.startswith("   ") and line.strip():
            found[heading][-1] += " " + line.strip()
    return {
        key: [NOTE.sub("", item).strip() for item in value] if isinstance(value, list) else value
        for key, value in found.items()
    }


def rows() -> list[Row]:
    """The flowchart table's rows, in the file's order."""
    lines = [line for line in _part("Bagan alir").splitlines() if line.startswith("|")]
    header, separator, *body = lines
    assert [c.strip() for c in header.strip("|").split("|")][:2] == ["NO", "Aktivitas"]
    assert set(separator) <= {"|", "-"}
    found = []
    for line in body:
        no, activity, pelaksana, kelengkapan, waktu, output, keterangan = (
            cell.strip() for cell in line.strip().removeprefix("|").removesuffix("|").split("|")
        )
        labels: tuple[str, ...] = ()
        if match := DECISION.match(activity):
            activity = match["activity"]
            labels = tuple(label.strip() for label in match["labels"].split("/"))
        found.append(
            Row(
                number=int(no),
                activity=activity,
                decision_labels=labels,
                pelaksana=pelaksana.removesuffix(" (inferred)"),
                kelengkapan=kelengkapan,
                waktu=waktu,
                output=output,
                keterangan="-" if keterangan == DASH else keterangan,
            )
        )
    return found
