from io import BytesIO

import pytest
from pypdf import PdfReader

from banding.appeals import services as appeal_services
from banding.appeals.models import Appeal, Channel
from banding.letters.models import Letter
from banding.platform.demo import pdf_bytes
from tests.factories import Personas, issued, register, similar_confirmed, walk


def number_pdf(letter: Letter) -> bytes:
    """A small real PDF naming the letter's number: what the tests about records rather than
    layout issue (the issued file is this, signed: an incremental update after it)."""
    return pdf_bytes(letter.number or "draf", [letter.number])


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (line breaks fall anywhere)."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def stored_text(letter: Letter) -> str:
    with letter.pdf.open("rb") as f:
        return pdf_text(f.read())


@pytest.fixture
def at12(p: Personas) -> Appeal:
    """An appeal decided, approved and dispositioned: every step of the relevant branch done."""
    return walk(p, register(p), 12)


def rejected_at4(p: Personas) -> Appeal:
    appeal = register(p)
    appeal_services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=p.lead,
        checklist={},
        relevant=False,
        reasons="Keluhan yang dibanding belum selesai ditangani.",
    )
    appeal.refresh_from_db()
    return appeal


__all__ = ["Channel", "issued", "number_pdf", "pdf_text", "rejected_at4", "stored_text"]
