import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banding.survey.elements import BY_CODE, ELEMENTS


def _score(code: str) -> models.PositiveSmallIntegerField:
    element = BY_CODE[code]
    return models.PositiveSmallIntegerField(element.label, choices=element.choices)


class SurveyResponse(models.Model):
    """The customer's Survei Kepuasan Masyarakat (Permenpan-RB 14/2017) of one closed appeal:
    nine element scores 1-4 and a comment; once per appeal (banding.survey.services)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="survey_response",
        verbose_name=_("banding"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responden"),
    )
    # One column per element (banding.survey.elements.ELEMENTS), so the period's averages
    # are one aggregate query.
    u1 = _score("u1")
    u2 = _score("u2")
    u3 = _score("u3")
    u4 = _score("u4")
    u5 = _score("u5")
    u6 = _score("u6")
    u7 = _score("u7")
    u8 = _score("u8")
    u9 = _score("u9")
    comment = models.TextField(_("saran dan komentar"), blank=True)
    submitted_at = models.DateTimeField(_("diisi"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{e.code}__gte": 1, f"{e.code}__lte": 4}),
                name=f"survey_{e.code}_1_to_4",
            )
            for e in ELEMENTS
        ]
        indexes = [models.Index(fields=["submitted_at"], name="survey_submitted")]
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")

    def __str__(self) -> str:
        return f"Survei {self.appeal_id} ({self.submitted_at:%Y-%m-%d})"

    def scores(self) -> dict[str, int]:
        return {e.code: getattr(self, e.code) for e in ELEMENTS}
