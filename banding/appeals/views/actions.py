"""The one registry of actions on an appeal: URL slug → form, service call and SOP step.

The action view (views/steps.py) and the appeal page (views/detail.py) read it; adding an
action is one entry here and one form class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from banding.accounts.models import User
from banding.appeals import services
from banding.appeals.forms import steps as f
from banding.appeals.forms.record import RecordForm
from banding.appeals.models import Appeal


@dataclass(frozen=True)
class Action:
    slug: str
    step: int | None  # the SOP step it acts on; None for actions open at any step
    form: type[f.StepForm]
    call: Callable[[Appeal, User, dict[str, Any]], object]
    title: str
    submit: str
    done: str  # success message; {number} is the register number
    danger: bool = False  # shown as a red button (it turns the appeal down or back)


def _verify(appeal: Appeal, user: User, d: dict[str, Any]) -> object:
    return services.appeal_verify(
        appeal=appeal,
        user=user,
        checklist=dict.fromkeys(d["checklist"], True),
        relevant=d["relevant"] == "relevant",
        reasons=d["reasons"],
        technical_team=d["technical_team"],
    )


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in (
        Action(
            "catat",
            2,
            RecordForm,
            lambda appeal, user, d: services.appeal_record(
                appeal=appeal,
                user=user,
                involved_persons=list(d["involved_persons"]),
                involved_note=d["involved_note"],
            ),
            "Penerimaan dan pencatatan",
            "Catat banding",
            "Banding {number} dicatat dan diteruskan kepada Ketua Tim PJTK untuk verifikasi.",
        ),
        Action(
            "verifikasi",
            3,
            f.VerifyForm,
            _verify,
            "Verifikasi kelengkapan dan relevansi",
            "Simpan hasil verifikasi",
            "Hasil verifikasi banding {number} disimpan.",
        ),
        Action(
            "tolak",
            4,
            f.RejectForm,
            lambda appeal, user, d: services.appeal_reject(appeal=appeal, user=user, **d),
            "Surat penolakan banding",
            "Catat pengiriman surat penolakan",
            "Penolakan banding {number} dicatat; banding ditutup.",
            danger=True,
        ),
        Action(
            "usul-panel",
            5,
            f.ProposeForm,
            lambda appeal, user, d: services.panel_propose(appeal=appeal, user=user, **d),
            "Usulan Tim Panel Banding",
            "Kirim usulan",
            "Usulan Tim Panel Banding {number} dikirim kepada Kepala Balai.",
        ),
        Action(
            "tunjuk-panel",
            6,
            f.AppointForm,
            lambda appeal, user, d: services.panel_appoint(appeal=appeal, user=user, **d),
            "Penunjukan Tim Panel Banding",
            "Tunjuk Tim Panel",
            "Tim Panel Banding {number} ditunjuk.",
        ),
        Action(
            "pernyataan",
            None,
            f.DeclareForm,
            lambda appeal, user, d: services.panel_declare(appeal=appeal, user=user),
            "Pernyataan bebas benturan kepentingan",
            "Saya menyatakan",
            "Pernyataan bebas benturan kepentingan Anda untuk banding {number} dicatat.",
        ),
        Action(
            "catatan",
            7,
            f.NoteForm,
            lambda appeal, user, d: services.investigation_note(appeal=appeal, user=user, **d),
            "Catatan investigasi atau kontak dengan pelanggan",
            "Simpan catatan",
            "Catatan investigasi banding {number} disimpan.",
        ),
        Action(
            "laporan",
            7,
            f.ReportForm,
            lambda appeal, user, d: services.investigation_report(appeal=appeal, user=user, **d),
            "Laporan hasil investigasi",
            "Unggah laporan dan selesaikan investigasi",
            "Laporan hasil investigasi banding {number} diunggah.",
        ),
        Action(
            "putuskan",
            9,
            f.DecideForm,
            lambda appeal, user, d: services.panel_decide(appeal=appeal, user=user, **d),
            "Rapat panel dan keputusan",
            "Simpan keputusan rapat",
            "Keputusan rapat panel banding {number} disimpan.",
        ),
        Action(
            "setujui",
            10,
            f.ApproveForm,
            lambda appeal, user, d: services.decision_approve(appeal=appeal, user=user, **d),
            "Setujui dan disposisikan",
            "Setujui keputusan",
            "Keputusan banding {number} disetujui dan didisposisikan.",
        ),
        Action(
            "kembalikan",
            10,
            f.ReturnForm,
            lambda appeal, user, d: services.decision_return(appeal=appeal, user=user, **d),
            "Kembalikan ke Tim Panel",
            "Kembalikan ke Tim Panel",
            "Keputusan banding {number} dikembalikan kepada Tim Panel.",
            danger=True,
        ),
        Action(
            "disposisi",
            11,
            f.DispositionForm,
            lambda appeal, user, d: services.decision_disposition(appeal=appeal, user=user, **d),
            "Disposisi ke staff PJTK",
            "Disposisikan",
            "Keputusan banding {number} didisposisikan kepada staff PJTK.",
        ),
        Action(
            "tutup",
            12,
            f.CloseForm,
            lambda appeal, user, d: services.appeal_close(appeal=appeal, user=user, **d),
            "Penyampaian keputusan dan pengarsipan",
            "Catat penyampaian dan arsip",
            "Banding {number} disampaikan, diarsipkan dan selesai.",
        ),
        Action(
            "dokumen",
            None,
            f.DocumentForm,
            lambda appeal, user, d: services.document_add(appeal=appeal, user=user, **d),
            "Tambah dokumen",
            "Unggah dokumen",
            "Dokumen ditambahkan pada banding {number}.",
        ),
    )
}

DECLARE = ACTIONS["pernyataan"]
DOCUMENT = ACTIONS["dokumen"]


def for_step(number: int) -> list[Action]:
    return [a for a in ACTIONS.values() if a.step == number]
