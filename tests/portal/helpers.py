"""Appeals submitted online by p.customer, through the real service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Appeal, ServiceType
from tests.factories import ANSWER, NO_INVOLVED, Personas, pdf


def submit(p: Personas, **overrides) -> Appeal:
    fields = dict(
        user=p.customer,
        complaint_reference="KEL/2026/017",
        complaint_outcome_date=(timezone.now() - timedelta(days=10)).date(),
        service_type=ServiceType.TESTING,
        reference_document="LHU-2026-0456",
        grounds="Hasil uji kadar air tidak sesuai dengan hasil laboratorium kami.",
        remedy_sought="Pengujian ulang dengan sampel arsip.",
        letter=pdf(),
        confirm_new=True,  # past the duplicate warning (tests/services/test_duplicates.py)
    )
    fields.update(overrides)
    return services.appeal_submit(**fields)


def record(p: Personas, appeal: Appeal, **overrides) -> Appeal:
    fields = dict(appeal=appeal, user=p.staff)
    fields.update(overrides)
    if not any(fields.get(name) for name in ANSWER):  # step 2's answer is required
        fields["no_involved_reason"] = NO_INVOLVED
    appeal = services.appeal_record(**fields)
    appeal.refresh_from_db()
    return appeal
