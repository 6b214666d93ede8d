"""The SOP monitoring form of a period (Permenpan-RB 35/2012): per step No, Prosedur,
Penilaian, Catatan hasil penilaian, Tindakan yang harus diambil, Paraf penilai.

The form is prefilled from the figures (banding.reports.stats): "berjalan dengan baik" when
the share completed within the standard time reaches BANDING_MONITORING_GOOD_SHARE. The
evaluator (ketua tim PJTK or kepala balai) corrects and saves it as a draft, then finalises
it: a final form is locked and keeps the figures it was judged on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid
from banding.formats import format_minutes
from banding.reports.access import refusal
from banding.reports.models import Assessment, FormStatus, MonitoringForm
from banding.reports.stats import StepStats, step_stats
from banding.sop import definition as sop
from banding.workdays.periods import Period

EVALUATOR_ROLES = (Role.PJTK_LEAD, Role.HEAD)
REFUSAL = refusal(N_("Monitoring SOP"))
NOT_EVALUATOR = N_("Formulir monitoring SOP diisi oleh Ketua Tim PJTK atau Kepala Balai.")
TEXT_MAX = 2000


def may_evaluate(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *EVALUATOR_ROLES)


def good_share() -> float:
    return float(getattr(settings, "BANDING_MONITORING_GOOD_SHARE", 0.9))


def figures_note(s: StepStats) -> str:
    """'12 kejadian, 11 (92%) dalam mutu baku, median 3 jam 10 menit, 1 terlambat'."""
    if not s.count:
        if s.overdue:
            return _("Tidak ada yang selesai; %(overdue)s masih terbuka melewati jatuh tempo") % {
                "overdue": s.overdue
            }
        return _("Tidak ada kejadian pada periode ini")
    return _(
        "%(count)s kejadian, %(within)s (%(percent)s%%) dalam mutu baku, "
        "median %(median)s, %(overdue)s terlambat"
    ) % {
        "count": s.count,
        "within": s.within,
        "percent": s.within_percent,
        "median": format_minutes(s.median_minutes),
        "overdue": s.overdue,
    }


def prefilled_assessment(s: StepStats) -> str:
    share = s.within_share
    if share is None:  # nothing completed
        # Nothing to judge, unless something is waiting past due: the evaluator decides.
        return "" if s.overdue else Assessment.NONE
    return Assessment.GOOD if share >= good_share() else Assessment.NOT_GOOD


@dataclass(frozen=True)
class FormRow:
    stats: StepStats
    penilaian: str  # an Assessment value, or "" when not yet judged
    catatan: str
    tindakan: str
    saved: bool  # the evaluator's saved values (False: the prefill from the figures)

    @property
    def number(self) -> int:
        return self.stats.number

    @property
    def penilaian_label(self) -> str:
        return str(Assessment(self.penilaian).label) if self.penilaian else ""


@dataclass(frozen=True)
class Sheet:
    period: Period
    form: MonitoringForm | None
    stats: list[StepStats]
    rows: list[FormRow]
    good_share: float

    @property
    def is_final(self) -> bool:
        return self.form is not None and self.form.is_final

    @property
    def good_percent(self) -> int:
        return round(self.good_share * 100)

    @property
    def paraf(self) -> str:
        """The evaluator's initials on a final form (the paper form's paraf)."""
        if self.form is None or not self.form.is_final:
            return ""
        name = self.form.evaluator.get_full_name() or self.form.evaluator.get_username()
        return "".join(word[0].upper() for word in name.split() if word[:1].isalpha())


def _form_of(period: Period, *, lock: bool = False) -> MonitoringForm | None:
    forms = MonitoringForm.objects.select_related("evaluator")
    if lock:
        forms = forms.select_for_update(of=("self",))
    return forms.filter(period_start=period.start, period_end=period.end).first()


def _rows(stats: list[StepStats], saved: Mapping[str, Mapping[str, str]]) -> list[FormRow]:
    rows = []
    for s in stats:
        values = saved.get(str(s.number))
        if values is not None:
            penilaian, catatan = values.get("penilaian", ""), values.get("catatan", "")
            rows.append(FormRow(s, penilaian, catatan, values.get("tindakan", ""), saved=True))
        else:
            rows.append(FormRow(s, prefilled_assessment(s), figures_note(s), "", saved=False))
    return rows


def monitoring_sheet(period: Period) -> Sheet:
    """The form of `period`: what the evaluator saved wins over the prefill; a final form
    shows the figures frozen when it was finalised."""
    form = _form_of(period)
    if form is not None and form.is_final and form.figures:
        stats = [StepStats(**row) for row in form.figures]
    else:
        stats = step_stats(period)
    saved = form.rows if form is not None else {}
    return Sheet(period, form, stats, _rows(stats, saved), good_share())


def _clean(rows: Mapping[int, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    for number, values in rows.items():
        if number not in sop.STEP_BY_NUMBER:
            raise Invalid(_("SOP 5.1.24 tidak memiliki langkah %(number)s.") % {"number": number})
        penilaian = (values.get("penilaian") or "").strip()
        if penilaian and penilaian not in Assessment.values:
            raise Invalid(_("Penilaian langkah %(number)s tidak dikenal.") % {"number": number})
        texts = {k: (values.get(k) or "").strip() for k in ("catatan", "tindakan")}
        if any(len(t) > TEXT_MAX for t in texts.values()):
            raise Invalid(
                _("Isian langkah %(number)s paling panjang %(max)s karakter.")
                % {"number": number, "max": TEXT_MAX}
            )
        cleaned[str(number)] = {"penilaian": penilaian, **texts}
    return cleaned


def _require_open(form: MonitoringForm | None, period: Period) -> None:
    if form is not None and form.is_final:
        raise Conflict(
            _("Formulir monitoring SOP %(label)s sudah final dan tidak dapat diubah.")
            % {"label": period.label},
            code="final",
        )


def _save(form: MonitoringForm | None, *, user: User, period: Period, rows: dict) -> MonitoringForm:
    now = timezone.now()
    if form is None:
        form = MonitoringForm(period_start=period.start, period_end=period.end)
    form.period_label = period.label
    form.rows = {**form.rows, **rows}
    form.evaluator = user
    form.updated_at = now
    form.save()
    return form


def monitoring_save(
    *, user: User, period: Period, rows: Mapping[int, Mapping[str, str]]
) -> MonitoringForm:
    """Save the evaluator's penilaian, catatan and tindakan per step as a draft."""
    if not may_evaluate(user):
        raise Forbidden(NOT_EVALUATOR)
    cleaned = _clean(rows)
    with transaction.atomic():
        form = _form_of(period, lock=True)
        _require_open(form, period)
        form = _save(form, user=user, period=period, rows=cleaned)
        record(
            action=Action.MONITORING_SAVED,
            summary=f"Formulir monitoring SOP {period.label} disimpan sebagai draf",
            actor=user,
            data={"period_start": period.start, "period_end": period.end, "rows": cleaned},
        )
    return form


def _check_complete(rows: list[FormRow]) -> None:
    missing = [str(r.number) for r in rows if not r.penilaian]
    if missing:
        raise Invalid(
            _("Penilaian belum diisi untuk langkah %(steps)s.") % {"steps": ", ".join(missing)}
        )
    judged = [str(r.number) for r in rows if r.penilaian == Assessment.NONE and r.stats.count]
    if judged:
        raise Invalid(
            _(
                "Langkah %(steps)s memiliki kejadian: pilih berjalan atau tidak berjalan dengan "
                "baik."
            )
            % {"steps": ", ".join(judged)}
        )
    actions = [str(r.number) for r in rows if r.penilaian == Assessment.NOT_GOOD and not r.tindakan]
    if actions:
        raise Invalid(
            _(
                "Tindakan yang harus diambil wajib diisi untuk langkah yang tidak berjalan "
                "dengan baik: %(steps)s."
            )
            % {"steps": ", ".join(actions)}
        )


def monitoring_finalise(
    *, user: User, period: Period, rows: Mapping[int, Mapping[str, str]] | None = None
) -> MonitoringForm:
    """Save (when `rows` are given) and finalise: every step judged, an action for every step
    that did not run well; the figures are frozen into the form and it is locked."""
    if not may_evaluate(user):
        raise Forbidden(NOT_EVALUATOR)
    cleaned = _clean(rows or {})
    with transaction.atomic():
        form = _form_of(period, lock=True)
        _require_open(form, period)
        stats = step_stats(period)
        saved = {**(form.rows if form is not None else {}), **cleaned}
        sheet_rows = _rows(stats, saved)
        _check_complete(sheet_rows)
        final_rows = {
            str(r.number): {"penilaian": r.penilaian, "catatan": r.catatan, "tindakan": r.tindakan}
            for r in sheet_rows
        }
        form = _save(form, user=user, period=period, rows=final_rows)
        form.status = FormStatus.FINAL
        form.figures = [asdict(s) for s in stats]
        form.evaluated_at = form.updated_at
        form.save(update_fields=["status", "figures", "evaluated_at"])
        record(
            action=Action.MONITORING_FINALISED,
            summary=f"Formulir monitoring SOP {period.label} difinalkan",
            actor=user,
            data={"period_start": period.start, "period_end": period.end, "rows": final_rows},
        )
    return form
