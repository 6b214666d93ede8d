"""The demo's documents: small, valid one-page PDF files (also used by the history generator
in bench/ and by the tests for uploads and letters)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(title: str, paragraphs: Sequence[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, A4) with a title and wrapped text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 13 Tf", "56 780 Td", f"({escape(title)}) Tj", "/F1 10 Tf", "0 -26 Td"]
    for paragraph in paragraphs:
        # A long word (an address, a verification code with its hyphens) stays whole on its
        # line, so the text of the PDF holds it as written.
        wrapped = textwrap.wrap(paragraph, 95, break_on_hyphens=False, break_long_words=False)
        for line in wrapped or [""]:
            ops += [f"({escape(line)}) Tj", "0 -14 Td"]
        ops.append("0 -8 Td")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", "replace")  # WinAnsiEncoding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, title: str, *paragraphs: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(title, paragraphs), content_type="application/pdf")
