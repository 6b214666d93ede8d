"""Shared pieces of the web tests: URLs, valid form data of every action, and a snapshot of
everything an action could change (to prove a refused one changed nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from banding.appeals.models import Appeal
from banding.sop import definition as sop
from tests.factories import Personas, pdf


def detail_url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.public_id])


def action_url(appeal: Appeal, slug: str) -> str:
    return reverse("appeals:action", args=[appeal.public_id, slug])


def local(value: datetime) -> str:
    """A datetime as a browser's datetime-local input sends it (WIB)."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def minutes_ago(n: int = 5) -> str:
    return local(timezone.now() - timedelta(minutes=n))


def valid_data(p: Personas, slug: str) -> dict:
    """Form data that the action's form and service accept (relevant branch)."""
    members = [u.pk for u in p.panel[:3]]
    return {
        "verifikasi": {
            "checklist": list(sop.step(3).checklist),
            "relevant": "relevant",
            "reasons": "Lengkap; menyangkut hasil uji.",
            "technical_team": p.team_a.pk,
        },
        "tolak": {"delivered_at": minutes_ago(), "channel": "email"},
        "usul-panel": {"members": members, "chair": p.panel[0].pk, "note": "Sudah koordinasi."},
        "tunjuk-panel": {"members": members, "chair": p.panel[0].pk},
        "pernyataan": {},
        "catatan": {
            "kind": "contact",
            "text": "Pelanggan dihubungi lewat telepon.",
            "occurred_at": minutes_ago(30),
        },
        "laporan": {"report": pdf("laporan-investigasi.pdf"), "summary": "Ada selisih metode."},
        "putuskan": {
            "meeting_at": minutes_ago(0),  # after the panel's appointment
            "place": "Ruang Rapat 1",
            "present": [str(u.public_id) for u in p.panel[:2]],
            "guests": "Sari; Notulis",
            "minutes": "Panel membahas hasil investigasi.",
            "decision": "diterima_sebagian",
            "reasons": "Hasil investigasi menjadi dasar keputusan.",
            "remedy": "Pengujian ulang tanpa biaya.",
        },
        "setujui": {"disposition": "Untuk ditindaklanjuti."},
        "kembalikan": {"reasons": "Tindakan perbaikan belum jelas."},
        "disposisi": {"note": "Sampaikan kepada pelanggan."},
        "tutup": {
            "delivered_at": minutes_ago(),
            "channel": "courier",
            "cabinet": "L-01",
            "box": "B-2026",
            "folder": "M-017",
        },
        "dokumen": {"kind": "other", "upload": pdf("tambahan.pdf")},
    }[slug]
