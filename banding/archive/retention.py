"""The retention schedule (*Jadwal Retensi Arsip*, JRA) of the records an appeal leaves.

A record is *aktif* for `active_years` after the appeal closes, then *inaktif* for
`inactive_years`, then its disposition is carried out: destroyed (*musnah*), appraised again
(*dinilai kembali*) or kept for good (*permanen*). The schedule is the setting
BANDING_RETENTION (record type -> rule); DEFAULT_RETENTION holds when it is not set. Each rule
names its legal basis (`basis`), shown wherever the schedule is shown; the institute enters its
own JRA regulation there (docs/archive.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from banding.appeals.models import Appeal

APPEAL_FILE = "berkas banding"
DISPOSITIONS = ("musnah", "dinilai kembali", "permanen")

DEFAULT_RETENTION: dict[str, dict] = {
    APPEAL_FILE: {
        "label": "Berkas penanganan banding pelanggan",
        "active_years": 2,
        "inactive_years": 5,
        "disposition": "dinilai kembali",
        "basis": (
            "UU No. 43 Tahun 2009 tentang Kearsipan dan PP No. 28 Tahun 2012 tentang "
            "Pelaksanaan UU No. 43 Tahun 2009; masa retensi menurut Jadwal Retensi Arsip "
            "(JRA) instansi yang ditetapkan"
        ),
    },
}


@dataclass(frozen=True)
class Retention:
    record_type: str
    label: str
    closed_on: date
    active_until: date
    inactive_until: date
    disposition: str
    basis: str = ""

    def phase(self, today: date) -> str:
        if today <= self.active_until:
            return "aktif"
        if today <= self.inactive_until:
            return "inaktif"
        return f"waktunya disposisi ({self.disposition})"


def schedule() -> dict[str, dict]:
    # Read at call time, never at import: tests and operators may change it.
    return getattr(settings, "BANDING_RETENTION", None) or DEFAULT_RETENTION


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def rule_of(record_type: str = APPEAL_FILE) -> dict:
    """The schedule's rule for `record_type`, checked: a wrong setting is refused by name."""
    rules = schedule()
    if record_type not in rules:
        raise ValueError(
            f"BANDING_RETENTION tidak memuat jenis arsip {record_type!r}; "
            f"yang ada: {', '.join(sorted(rules))}."
        )
    rule = rules[record_type]
    if rule["disposition"] not in DISPOSITIONS:
        raise ValueError(
            f"Nasib akhir {rule['disposition']!r} tidak dikenal; "
            f"pilihan: {', '.join(DISPOSITIONS)}."
        )
    return rule


def retention_of(appeal: Appeal, record_type: str = APPEAL_FILE) -> Retention | None:
    """The retention of a closed appeal's file; None while the appeal is open."""
    if appeal.is_open or appeal.closed_at is None:
        return None
    rule = rule_of(record_type)
    closed_on = timezone.localdate(appeal.closed_at)
    active_until = add_years(closed_on, int(rule["active_years"]))
    return Retention(
        record_type=record_type,
        label=rule.get("label", record_type),
        closed_on=closed_on,
        active_until=active_until,
        inactive_until=add_years(active_until, int(rule["inactive_years"])),
        disposition=rule["disposition"],
        basis=rule.get("basis", ""),
    )


def closed_before(years: int, today: date) -> datetime:
    """The instant (start of the WIB day) before which an appeal must have closed for a period
    of `years` counted from its closing day to be over by `today`: closed on D, the period
    ends D + years and is over from the day after."""
    day = add_years(today, -years)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
