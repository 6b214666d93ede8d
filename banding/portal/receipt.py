"""The electronic receipt (tanda terima) of an appeal: what was received, when, from whom,
with the SHA-256 of every document, and what happens next. The same template part is shown
as a page and printed to PDF by WeasyPrint (with a stylesheet file, since the templates carry
no <style>: banding/portal/pdf/tanda-terima.css)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from banding.appeals.models import CUSTOMER_VISIBLE_KINDS, Appeal, Document
from banding.appeals.progress import expected_after
from banding.letters.models import Letterhead
from banding.sop import definition as sop
from banding.sop.definition import Stage

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "tanda-terima.css"


@dataclass(frozen=True)
class Receipt:
    appeal: Appeal
    documents: list[Document]
    next_step: sop.Step | None  # the step that opened when the appeal was received
    next_due_at: datetime | None
    next_stage: Stage | None  # the milestone that step leads to
    next_stage_expected_at: datetime | None
    printed_at: datetime
    link: str  # the appeal's page in the portal, absolute


def receipt_of(appeal: Appeal) -> Receipt:
    """The receipt as it was at intake, whenever it is shown: the documents received then and
    the institute's step that opened when the appeal was recorded (step 2 for an appeal
    submitted online, which the staff check and record; step 3 for one the staff recorded
    from a letter)."""
    opened = (
        appeal.steps.filter(started_at__gte=appeal.created_at)
        .exclude(actor=sop.Actor.PEL)
        .order_by("started_at", "id")
        .first()
    )
    documents = [
        d
        for d in appeal.documents.order_by("uploaded_at", "id")
        if d.kind in CUSTOMER_VISIBLE_KINDS and d.step <= 2
    ]
    return Receipt(
        appeal=appeal,
        documents=documents,
        next_step=sop.step(opened.number) if opened else None,
        next_due_at=opened.due_at if opened else None,
        next_stage=sop.next_stage(opened.number) if opened else None,
        next_stage_expected_at=expected_after(opened) if opened else None,
        printed_at=timezone.now(),
        link=settings.BANDING_PUBLIC_URL.rstrip("/")
        + reverse("portal:appeal", args=[appeal.public_id]),
    )


def receipt_pdf(receipt: Receipt) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: loading pango costs time at startup

    with translation.override("id"):
        html = render_to_string(
            "portal/tanda_terima_pdf.html",
            {"receipt": receipt, "appeal": receipt.appeal, "letterhead": Letterhead.current()},
        )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def pdf_name(appeal: Appeal) -> str:
    return f"tanda-terima-{appeal.number.replace('/', '-')}.pdf"
