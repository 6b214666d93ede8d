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
