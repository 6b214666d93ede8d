from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assessment(models.TextChoices):
    """Penilaian of the Permenpan-RB 35/2012 monitoring form."""

    GOOD = "baik", _("Berjalan dengan baik")
    NOT_GOOD = "tidak_baik", _("Tidak berjalan dengan baik")
    NONE = "tidak_ada", _("Tidak ada kejadian")


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class MonitoringForm(models.Model):
    """The SOP monitoring form of one period (Permenpan-RB 35/2012), as the evaluator
    completed it. `rows` holds, per step number (a string key), the evaluator's
    {"penilaian", "catatan", "tindakan"}; a final form also keeps the figures it was judged on
    (`figures`, the step_stats rows), so later changes to the data do not rewrite it."""

    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    period_label = models.CharField(_("periode"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    rows = models.JSONField(_("isian"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    figures = models.JSONField(_("angka"), default=list, blank=True, encoder=DjangoJSONEncoder)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penilai"),
    )
    updated_at = models.DateTimeField(_("disimpan"))
    evaluated_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"], name="one_monitoring_form_per_period"
            ),
        ]
        verbose_name = _("formulir monitoring SOP")
        verbose_name_plural = _("formulir monitoring SOP")

    def __str__(self) -> str:
        return f"Monitoring SOP {self.period_label}"

    @property
    def is_final(self) -> bool:
        return self.status == FormStatus.FINAL


# --- the reports' rollups (banding.reports.rollups) --------------------------------------------


class RollupMonth(models.Model):
    """A finished month (WIB) whose figures are kept below: `frozen` once computed from the raw
    steps and appeals; a later change reaching into the month (a backdated record, a deadline
    moved) clears it, and the month is computed again when next read. Writers of both kinds
    take this row first, so a change and a freeze of the same month never miss each other."""

    month = models.DateField(_("bulan"), unique=True)  # its first day
    frozen = models.BooleanField(_("dibekukan"), default=False)
    frozen_at = models.DateTimeField(_("dibekukan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulan rekap laporan")
        verbose_name_plural = _("bulan rekap laporan")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class StepMonth(models.Model):
    """One SOP step's figures in one finished month for one service type: the occurrences
    completed in the month with a working time, how many within the standard, how many were
    open and past due at the month's end, and the exact histogram of their working minutes
    (`minutes`: banding.reports.histogram.pack), from which the medians and the 90th
    percentiles of any run of months are exact."""

    month = models.DateField(_("bulan"))
    number = models.PositiveSmallIntegerField(_("langkah"))
    service_type = models.CharField(_("jenis layanan"), max_length=20)
    count = models.PositiveIntegerField(_("selesai"), default=0)
    within = models.PositiveIntegerField(_("sesuai mutu baku"), default=0)
    open_overdue = models.PositiveIntegerField(_("terbuka melewati jatuh tempo"), default=0)
    minutes = models.BinaryField(_("histogram waktu kerja"), default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "number", "service_type"], name="one_step_month"
            ),
        ]
        verbose_name = _("rekap langkah per bulan")
        verbose_name_plural = _("rekap langkah per bulan")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} langkah {self.number} {self.service_type}"


class EndedMonth(models.Model):
    """The appeals that ended in one finished month, per service type, status and decision:
    how many, and the exact histogram of their total working time (Appeal.working_minutes;
    banding.reports.histogram.pack), for the medians of totals."""

    month = models.DateField(_("bulan"))
    service_type = models.CharField(_("jenis layanan"), max_length=20)
    status = models.CharField(_("status"), max_length=10)
    decision = models.CharField(_("keputusan"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("jumlah"), default=0)
    minutes = models.BinaryField(_("histogram total waktu kerja"), default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_type", "status", "decision"], name="one_ended_month"
            ),
        ]
        verbose_name = _("rekap banding selesai per bulan")
        verbose_name_plural = _("rekap banding selesai per bulan")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_type} {self.status} {self.decision}"


class AppealMonth(models.Model):
    """The appeals of one finished month per service type: how many were received in it, and
    how many were open at its end (received before, not ended by then)."""

    month = models.DateField(_("bulan"))
    service_type = models.CharField(_("jenis layanan"), max_length=20)
    received = models.PositiveIntegerField(_("diterima"), default=0)
    open_at_end = models.PositiveIntegerField(_("berjalan pada akhir bulan"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "service_type"], name="one_appeal_month"),
        ]
        verbose_name = _("rekap banding diterima per bulan")
        verbose_name_plural = _("rekap banding diterima per bulan")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_type}"


class OutcomeMonth(models.Model):
    """The outcomes the management review counts, of one finished month: the verifications
    (step 3) and rejections (step 4) by outcome, and the approved decisions (step 10) by
    decision, with how many of those carry a corrective action (a decided remedy)."""

    month = models.DateField(_("bulan"))
    number = models.PositiveSmallIntegerField(_("langkah"))
    outcome = models.CharField(_("hasil"), max_length=30)
    decision = models.CharField(_("keputusan"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("jumlah"), default=0)
    remedies = models.PositiveIntegerField(_("dengan tindakan perbaikan"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "number", "outcome", "decision"], name="one_outcome_month"
            ),
        ]
        verbose_name = _("rekap hasil langkah per bulan")
        verbose_name_plural = _("rekap hasil langkah per bulan")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} langkah {self.number} {self.outcome} {self.decision}"
