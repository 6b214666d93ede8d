"""The one registry of actions on an appeal: URL slug → form, service call and SOP step.

The action view (views/steps.py) and the appeal page (views/detail.py) read it; adding an
action is one entry here and one form class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from banding.accounts.models import User
from banding.appeals import services
from banding.appeals.forms import steps as f
from banding.appeals.forms.considered import similar_kwargs
from banding.appeals.forms.record import RecordForm, TeamExemptForm, involvement_kwargs
from banding.appeals.models import Appeal
from banding.sop import definition as sop
from banding.sop.definition import Result

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Action:
    slug: str
    step: int | None  # the SOP step it acts on; None for actions open at any step
    form: type[f.StepForm]
    call: Callable[[Appeal, User, dict[str, Any]], object]
    submit: StrOrPromise
    done: StrOrPromise  # success message; %(number)s is the register number
    danger: bool = False  # shown as a red button (it turns the appeal down or back)
    outcome: Result | None = None  # the outcome it completes its step with, if it does
    own_title: StrOrPromise = (
        ""  # for actions that are not an SOP step's (the definition names those)
    )
    after_record: bool = False  # offered only once its record-first step's record exists

    @property
    def title(self) -> StrOrPromise:
        """The step's title from the SOP definition, or the outcome's action where the step
        offers more than one; the action's own for the others."""
        if self.own_title or self.step is None:
            return self.own_title
        s = sop.step(self.step)
        action = s.outcome(self.outcome).action if self.outcome else ""
        return action or s.title


def _verify(appeal: Appeal, user: User, d: dict[str, Any]) -> object:
    return services.appeal_verify(
        appeal=appeal,
        user=user,
        checklist=dict.fromkeys(d["checklist"], True),
        relevant=d["relevant"] == Result.RELEVANT,
        reasons=d["reasons"],
        technical_team=d["technical_team"],
        **similar_kwargs(d),
    )


def _decide(appeal: Appeal, user: User, d: dict[str, Any]) -> object:
    return services.panel_decide(
        appeal=appeal,
        user=user,
        meeting_at=d["meeting_at"],
        place=d["place"],
        attendance=d["attendance"],
        guests=d["guests"],
        minutes=d["minutes"],
        decision=d["decision"],
        reasons=d["reasons"],
        remedy=d["remedy"],
        dissent=d["dissent_list"],
        **similar_kwargs(d),
    )


def _record(appeal: Appeal, user: User, d: dict[str, Any]) -> object:
    return services.appeal_record(appeal=appeal, user=user, **involvement_kwargs(d))


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in (
        Action(
            "catat",
            2,
            RecordForm,
            _record,
            _("Catat banding"),
            _("Banding %(number)s dicatat dan diteruskan kepada Ketua Tim PJTK untuk verifikasi."),
            outcome=Result.RECORDED,
        ),
        Action(
            "verifikasi",
            3,
            f.VerifyForm,
            _verify,
            _("Simpan hasil verifikasi"),
            _("Hasil verifikasi banding %(number)s disimpan."),
        ),
        Action(
            "tolak",
            4,
            f.RejectForm,
            lambda appeal, user, d: services.appeal_reject(appeal=appeal, user=user, **d),
            _("Catat pengiriman surat penolakan"),
            _("Penolakan banding %(number)s dicatat; banding ditutup."),
            danger=True,
            outcome=Result.REJECTED,
        ),
        Action(
            "usul-panel",
            5,
            f.ProposeForm,
            lambda appeal, user, d: services.panel_propose(appeal=appeal, user=user, **d),
            _("Simpan usulan"),
            _("Usulan Tim Panel Banding %(number)s dicatat; terbitkan surat usulannya."),
        ),
        Action(
            "tunjuk-panel",
            6,
            f.AppointForm,
            lambda appeal, user, d: services.panel_appoint(appeal=appeal, user=user, **d),
            _("Simpan penunjukan"),
            _("Penunjukan Tim Panel Banding %(number)s dicatat; terbitkan surat tugasnya."),
        ),
        Action(
            "pernyataan",
            None,
            f.DeclareForm,
            lambda appeal, user, d: services.panel_declare(
                appeal=appeal, user=user, conflict=d["answer"], description=d["description"]
            ),
            _("Saya menyatakan"),
            _("Pernyataan benturan kepentingan Anda untuk banding %(number)s dicatat."),
            own_title=_("Pernyataan benturan kepentingan"),
        ),
        Action(
            "ganti-panel",
            None,
            f.ReplaceForm,
            lambda appeal, user, d: services.panel_replace(appeal=appeal, user=user, **d),
            _("Tunjuk pengganti"),
            _(
                "Pengganti anggota Tim Panel Banding %(number)s ditunjuk; terbitkan surat tugas "
                "yang diperbarui (draf koreksinya sudah dibuat)."
            ),
            own_title=_("Penunjukan pengganti anggota Tim Panel Banding"),
        ),
        Action(
            "tim-tidak-terlibat",
            None,
            TeamExemptForm,
            lambda appeal, user, d: services.team_exempt(appeal=appeal, user=user, **d),
            _("Simpan alasan"),
            _(
                "Anggota tim teknis banding %(number)s tidak lagi dianggap terlibat; "
                "alasannya dicatat."
            ),
            own_title=_("Anggota tim teknis yang hasil kerjanya dibanding tidak dianggap terlibat"),
        ),
        Action(
            "catatan",
            7,
            f.NoteForm,
            lambda appeal, user, d: services.investigation_note(appeal=appeal, user=user, **d),
            _("Simpan catatan"),
            _("Catatan investigasi banding %(number)s disimpan."),
            own_title=_("Catatan investigasi atau kontak dengan pelanggan"),
        ),
        Action(
            "laporan",
            7,
            f.ReportForm,
            lambda appeal, user, d: services.investigation_report(appeal=appeal, user=user, **d),
            _("Unggah laporan dan selesaikan investigasi"),
            _("Laporan hasil investigasi banding %(number)s diunggah."),
            outcome=Result.INVESTIGATED,
        ),
        Action(
            "putuskan",
            9,
            f.DecideForm,
            _decide,
            _("Simpan hasil rapat"),
            _(
                "Hasil rapat panel banding %(number)s dicatat; terbitkan daftar hadir dan "
                "notulennya."
            ),
        ),
        Action(
            "pendapat-berbeda",
            9,
            f.DissentForm,
            lambda appeal, user, d: services.panel_dissent(appeal=appeal, user=user, **d),
            _("Simpan pendapat berbeda"),
            _("Pendapat berbeda Anda atas keputusan rapat panel banding %(number)s dicatat."),
            own_title=_("Pendapat berbeda (dissenting opinion)"),
            after_record=True,
        ),
        Action(
            "setujui",
            10,
            f.ApproveForm,
            lambda appeal, user, d: services.decision_approve(appeal=appeal, user=user, **d),
            _("Setujui keputusan"),
            _("Keputusan banding %(number)s disetujui dan didisposisikan."),
            outcome=Result.APPROVED,
        ),
        Action(
            "kembalikan",
            10,
            f.ReturnForm,
            lambda appeal, user, d: services.decision_return(appeal=appeal, user=user, **d),
            _("Kembalikan ke Tim Panel"),
            _("Keputusan banding %(number)s dikembalikan kepada Tim Panel."),
            danger=True,
            outcome=Result.RETURNED,
        ),
        Action(
            "disposisi",
            11,
            f.DispositionForm,
            lambda appeal, user, d: services.decision_disposition(appeal=appeal, user=user, **d),
            _("Disposisikan"),
            _("Keputusan banding %(number)s didisposisikan kepada staff PJTK."),
            outcome=Result.DISPOSITIONED,
        ),
        Action(
            "tutup",
            12,
            f.CloseForm,
            lambda appeal, user, d: services.appeal_close(appeal=appeal, user=user, **d),
            _("Catat penyampaian dan arsip"),
            _("Banding %(number)s disampaikan, diarsipkan dan selesai."),
            outcome=Result.CLOSED,
        ),
        Action(
            "selesaikan",
            None,
            f.CompleteForm,
            lambda appeal, user, d: services.step_complete(
                appeal=appeal, user=user, number=d["number"]
            ),
            _("Selesaikan langkah"),
            _("Langkah banding %(number)s diselesaikan; banding berlanjut ke langkah berikutnya."),
            own_title=_("Selesaikan langkah"),
        ),
        Action(
            "dokumen",
            None,
            f.DocumentForm,
            lambda appeal, user, d: services.document_add(appeal=appeal, user=user, **d),
            _("Unggah dokumen"),
            _("Dokumen ditambahkan pada banding %(number)s."),
            own_title=_("Tambah dokumen"),
        ),
    )
}

DECLARE = ACTIONS["pernyataan"]
REPLACE = ACTIONS["ganti-panel"]
DOCUMENT = ACTIONS["dokumen"]
TEAM_EXEMPT = ACTIONS["tim-tidak-terlibat"]
COMPLETE = ACTIONS["selesaikan"]


def for_step(number: int) -> list[Action]:
    return [a for a in ACTIONS.values() if a.step == number]


def _check() -> None:
    # An action that completes its step names an outcome the definition gives that step.
    for a in ACTIONS.values():
        if a.step is not None and a.outcome is not None:
            sop.step(a.step).outcome(a.outcome)


_check()
