"""A small fixed history for the similar-appeals tests: closed appeals of both branches, each
closed on its own day, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from banding.appeals import services
from banding.appeals.models import Appeal, Channel, ServiceType
from tests.factories import Personas, register, rejection_letter, similar_confirmed, walk

WIB = ZoneInfo("Asia/Jakarta")
GROUNDS = "Hasil uji kadar air pada sampel pupuk tidak sesuai dengan hasil laboratorium kami."


@dataclass
class History:
    target: Appeal  # open, at step 3: the one whose similar appeals are asked
    same_reference: Appeal  # closed: same reference, organisation and service; no shared word
    same_words: Appeal  # closed: most shared words, other customer, same service
    same_customer: Appeal  # closed: same organisation only
    rejected: Appeal  # rejected as not relevant: one shared word, nothing else
    service_only: Appeal  # closed: same service type only (not similar enough)
    still_open: Appeal  # open, same grounds: never listed


def _at(time_machine, day: int) -> None:
    time_machine.move_to(datetime(2026, 3, day, 10, 0, tzinfo=WIB), tick=False)


def _closed(p: Personas, **fields) -> Appeal:
    return walk(p, register(p, **fields), 13)


def _rejected(p: Personas, **fields) -> Appeal:
    registered = register(p, **fields)
    appeal = services.appeal_verify(
        appeal=registered,
        user=p.lead,
        checklist={},
        relevant=False,
        reasons="Bukan keberatan atas hasil penanganan keluhan.",
        **similar_confirmed(registered),
    )
    rejection_letter(p, appeal)
    return services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=appeal.received_at,
        channel=Channel.EMAIL,
    )


def build(p: Personas, time_machine) -> History:
    _at(time_machine, 2)
    same_reference = _closed(
        p,
        reference_document="LHU-2026-0456",
        grounds="Sertifikat terlambat diterbitkan.",
        remedy_sought="Permintaan maaf tertulis.",
        complaint_reference="KEL/2026/001",
    )
    _at(time_machine, 3)
    same_words = _closed(
        p,
        organization=p.org_other,
        contact_email="sari@farmasi.example",
        reference_document="LHU-2026-0999",
        grounds="Kadar air sampel pupuk berbeda jauh dari hasil laboratorium pembanding.",
        remedy_sought="Uji ulang.",
        complaint_reference="KEL/2026/002",
    )
    _at(time_machine, 4)
    same_customer = _closed(
        p,
        service_type=ServiceType.CALIBRATION,
        reference_document="SRT-KAL-0007",
        grounds="Ketidakpastian kalibrasi timbangan terlalu besar.",
        remedy_sought="Kalibrasi ulang.",
        complaint_reference="KEL/2026/003",
    )
    _at(time_machine, 5)
    rejected = _rejected(
        p,
        organization=p.org_other,
        service_type=ServiceType.CALIBRATION,
        reference_document="SRT-KAL-0100",
        grounds="Tarif layanan untuk pupuk organik terlalu mahal menurut pengurus koperasi.",
        remedy_sought="Potongan harga.",
        complaint_reference="KEL/2026/004",
    )
    _at(time_machine, 6)
    service_only = _closed(
        p,
        organization=p.org_other,
        reference_document="LHU-2026-0777",
        grounds="Petugas datang terlambat mengambil contoh.",
        remedy_sought="Teguran.",
        complaint_reference="KEL/2026/005",
    )
    _at(time_machine, 9)
    still_open = register(p, organization=p.org_other, grounds=GROUNDS, remedy_sought="Ulang.")
    target = register(
        p,
        reference_document="LHU-2026-0456",
        grounds=GROUNDS,
        remedy_sought="Pengujian ulang dengan sampel arsip.",
        complaint_reference="KEL/2026/017",
    )
    return History(
        target=target,
        same_reference=same_reference,
        same_words=same_words,
        same_customer=same_customer,
        rejected=rejected,
        service_only=service_only,
        still_open=still_open,
    )
