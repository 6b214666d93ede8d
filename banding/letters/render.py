"""Letters as PDF: Django templates (letters/<kind>.html on letters/base.html) rendered to HTML
and printed by WeasyPrint on A4. The context comes from the case: the appeal, the data each
completed SOP step stored, the panel, and the parts people wrote (Letter.fields)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from banding.appeals.models import Appeal, Decision
from banding.appeals.services import panel_proposal
from banding.appeals.uploads import sniff
from banding.letters.kinds import Kind, spec
from banding.letters.models import Letter, Letterhead
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS

NON_DISCRIMINATION = (
    "Pengajuan banding tidak akan menimbulkan tindakan diskriminatif atau perlakuan yang "
    "merugikan terhadap Saudara."
)


def step_data(appeal: Appeal) -> dict[int, dict]:
    """The data of the latest completed occurrence of each step (a returned step 9 counts
    once, as last decided)."""
    latest: dict[int, dict] = {}
    for step in appeal.steps.filter(completed_at__isnull=False).order_by("completed_at", "id"):
        latest[step.number] = step.data
    return latest


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_datetime(value) if value else None


def _customer(appeal: Appeal) -> str:
    return f"{appeal.contact_name}\n{appeal.organization.name}"


def _panel(appeal: Appeal) -> list[dict[str, str]]:
    """The appointed panel, or before step 6 the proposed one."""
    seats = list(appeal.panel_seats.select_related("user"))
    if seats:
        return [
            {"name": s.user.display_name, "nip": s.user.nip, "role": s.get_role_display()}
            for s in seats
        ]
    members, chair = panel_proposal(appeal)
    return [
        {"name": m.display_name, "nip": m.nip, "role": "Ketua" if m == chair else "Anggota"}
        for m in members
    ]


def defaults(appeal: Appeal, kind: str) -> dict[str, str]:
    """The parts people write, pre-filled from the case; the drafter edits them."""
    data = step_data(appeal)
    customer = _customer(appeal)
    number = appeal.number
    team = appeal.technical_team.name if appeal.technical_team else "Bagian/Tim Teknis"
    meeting = data.get(9, {})
    meeting_at = _when(meeting.get("meeting_at"))
    decision = Decision(appeal.decision).label.lower() if appeal.decision else ""
    values: dict[str, dict[str, str]] = {
        Kind.TANDA_TERIMA: {
            "kepada": customer,
            "perihal": f"Tanda terima permohonan banding {number}",
            "catatan": "",
        },
        Kind.NOTA_DINAS: {
            "kepada": f"Ketua {team}",
            "perihal": f"Permohonan penyelesaian banding {number}",
            "isi": (
                f"Bersama ini kami sampaikan permohonan banding dari {appeal.organization.name} "
                f"atas hasil penanganan keluhan {appeal.complaint_reference} yang telah kami "
                "verifikasi lengkap dan relevan. Mohon Saudara berkoordinasi dengan Kepala Balai "
                "untuk pembentukan Tim Panel Banding."
                + (
                    f"\n\nHasil verifikasi: {appeal.relevance_reasons}"
                    if appeal.relevance_reasons
                    else ""
                )
            ),
        },
        Kind.PENOLAKAN: {
            "kepada": customer,
            "perihal": f"Penolakan permohonan banding {number}",
            "alasan": data.get(4, {}).get("reasons") or appeal.relevance_reasons,
        },
        Kind.USULAN_PANEL: {
            "kepada": "Kepala Balai",
            "perihal": f"Usulan Tim Panel Banding {number}",
            "susunan": "\n".join(f"{row['name']} ({row['role']})" for row in _panel(appeal)),
            "catatan": data.get(5, {}).get("note", ""),
        },
        Kind.PENUNJUKAN_PANEL: {
            "kepada": "Anggota Tim Panel Banding (terlampir)",
            "perihal": f"Penunjukan Tim Panel Banding {number}",
            "tugas": (
                f"Melakukan investigasi atas banding {number} ({sop.step(7).waktu}), "
                "menyelenggarakan rapat panel banding dan menyampaikan keputusan penyelesaian "
                "banding kepada Kepala Balai. Anggota yang terlibat dalam kegiatan atau keluhan "
                "semula tidak dapat duduk di Tim Panel Banding (ISO/IEC 17025 7.9.6)."
            ),
        },
        Kind.UNDANGAN: {
            "kepada": customer,
            "perihal": f"Undangan klarifikasi banding {number}",
            "waktu": _format_wib(meeting_at) if meeting_at else "",
            "tempat": meeting.get("place", ""),
            "acara": f"Klarifikasi permohonan banding {number} bersama Tim Panel Banding.",
        },
        Kind.DAFTAR_HADIR: {
            "perihal": f"Daftar hadir rapat Tim Panel Banding {number}",
            "catatan": "",
        },
        Kind.NOTULEN: {
            "perihal": f"Notulen rapat Tim Panel Banding {number}",
            "notulen": meeting.get("minutes", ""),
        },
        Kind.KEPUTUSAN: {
            "kepada": customer,
            "perihal": f"Keputusan penyelesaian banding {number}",
            "pertimbangan": meeting.get("minutes", ""),
            "amar": appeal.decision_remedy,
        },
        Kind.DISPOSISI: {
            "kepada": ACTOR_LABELS[sop.Actor.STF],
            "perihal": f"Disposisi keputusan penyelesaian banding {number}",
            "instruksi": data.get(11, {}).get("note", ""),
        },
        Kind.PENYAMPAIAN: {
            "kepada": customer,
            "perihal": f"Penyampaian keputusan banding {number}",
            "isi": (
                f"Bersama ini kami sampaikan bahwa permohonan banding Saudara {number} "
                f"diputuskan {decision}."
                + (
                    f" Tindakan yang diputuskan: {appeal.decision_remedy}"
                    if appeal.decision_remedy
                    else ""
                )
                + " Dengan surat ini proses penanganan banding dinyatakan selesai."
            ),
        },
    }
    return values[kind]


def _format_wib(value: datetime) -> str:
    from banding.appeals.templatetags.banding import wib

    with translation.override("id"):
        return wib(value)


def verification_url(code: str) -> str:
    return settings.BANDING_PUBLIC_URL + reverse("verification", args=[code])


def _data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def _logo(letterhead: Letterhead) -> str:
    if not letterhead.logo:
        return ""
    with letterhead.logo.open("rb") as f:
        content = f.read()
        f.seek(0)
        content_type = sniff(f)
    return _data_uri(content, content_type) if content_type else ""


def context(letter: Letter) -> dict[str, Any]:
    appeal = letter.appeal
    kind = spec(letter.kind)
    data = step_data(appeal)
    draft = letter.is_draft
    letterhead = Letterhead.current()
    dated = timezone.localtime(letter.issued_at or timezone.now())
    step3 = appeal.steps.filter(number=3).order_by("-id").first()
    signer_role = ACTOR_LABELS[kind.signer]
    if kind.signer == sop.Actor.TPB:
        signer_role = f"Ketua {signer_role}"
    return {
        "letter": letter,
        "spec": kind,
        "draft": draft,
        "fields": {**defaults(appeal, letter.kind), **letter.fields},
        "appeal": appeal,
        "data": data,
        "meeting_at": _when(data.get(9, {}).get("meeting_at")),
        "panel": _panel(appeal),
        "step3": step3,
        "keputusan": appeal.letters.filter(kind=Kind.KEPUTUSAN, status="issued").first(),
        "steps": sop.STEP_BY_NUMBER,
        "non_discrimination": NON_DISCRIMINATION,
        "letterhead": letterhead,
        "logo": _logo(letterhead),
        "dated": dated,
        "signer_role": signer_role,
        "qr": ""
        if draft
        else segno.make(verification_url(letter.verification_code)).svg_data_uri(scale=3),
        "verification_url": "" if draft else verification_url(letter.verification_code),
    }


def render_html(letter: Letter) -> str:
    with translation.override("id"):
        return render_to_string(f"letters/{letter.kind}.html", context(letter))


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML  # imported on use: loading pango costs time at startup

    return HTML(string=render_html(letter)).write_pdf()
