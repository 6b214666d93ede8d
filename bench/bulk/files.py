"""A small pool of real files (PDFs and PNGs) in the default storage, which the generated
documents and issued letters point to: every download works, and each row's size and SHA-256
are those of its file. Written once; a later run finds them in place."""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from banding.appeals.models import DocumentKind
from banding.appeals.uploads import PDF, PNG
from banding.letters.kinds import Kind
from banding.platform.demo import pdf_bytes

POOL_DIR = "bulk/pool"


@dataclass(frozen=True)
class PoolFile:
    name: str  # the storage name the row points to
    original_name: str
    content_type: str
    size: int
    sha256: str


def png_bytes(width: int, height: int, shade: int) -> bytes:
    """A valid greyscale PNG with a gradient (a stand-in for a photo of a sample)."""
    rows = b"".join(
        b"\x00" + bytes((shade + x + y) % 256 for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str, *lines: str) -> bytes:
    return pdf_bytes(title, [*lines, "Dokumen contoh untuk data uji volume SiBanding."])


# (pool key, original name, content) per document kind; several per kind for variety.
DOCUMENTS: dict[str, list[tuple[str, bytes]]] = {
    DocumentKind.APPEAL_LETTER: [
        (f"surat-permohonan-banding-{i}.pdf", _pdf("Surat Permohonan Banding", text))
        for i, text in enumerate(
            (
                "Kepada Yth. Kepala Balai. Perihal: banding atas hasil penanganan keluhan.",
                "Dengan hormat, kami mengajukan banding atas hasil penanganan keluhan kami.",
                "Bersama surat ini kami sampaikan keberatan atas hasil layanan Balai.",
            ),
            start=1,
        )
    ],
    DocumentKind.SUPPORTING: [
        ("dokumen-pendukung.pdf", _pdf("Dokumen Pendukung Banding", "Data pembanding.")),
        ("hasil-lab-pembanding.pdf", _pdf("Hasil Laboratorium Pembanding", "Salinan hasil.")),
        ("foto-sampel.png", png_bytes(64, 48, 40)),
    ],
    DocumentKind.INVESTIGATION_REPORT: [
        (f"laporan-investigasi-{i}.pdf", _pdf("Laporan Hasil Investigasi Banding", text))
        for i, text in enumerate(
            (
                "Temuan: data mentah, log alat dan rekaman pelaksanaan telah ditelusuri.",
                "Temuan: metode dan kondisi sampel sesuai; perhitungan ulang terlampir.",
            ),
            start=1,
        )
    ],
    DocumentKind.MINUTES: [("notulen-rapat-panel.pdf", _pdf("Notulen Rapat Panel", "Notulen."))],
    DocumentKind.INVESTIGATION_EVIDENCE: [("foto-alat.png", png_bytes(80, 60, 120))],
}
# One issued letter per kind (every kind, whether or not the generator issues it).
LETTERS: dict[str, tuple[str, bytes]] = {
    kind.value: (f"surat-{kind.value}.pdf", _pdf(kind.label, "Surat dinas terbit (contoh)."))
    for kind in Kind
}


def _content_type(content: bytes) -> str:
    return PDF if content.startswith(b"%PDF-") else PNG


def _put(filename: str, original: str, content: bytes) -> PoolFile:
    name = f"{POOL_DIR}/{filename}"
    digest = hashlib.sha256(content).hexdigest()
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            same = hashlib.sha256(stored.read()).hexdigest() == digest
        if not same:
            default_storage.delete(name)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        assert saved == name, saved
    return PoolFile(name, original, _content_type(content), len(content), digest)


@dataclass(frozen=True)
class Pool:
    documents: dict[str, tuple[PoolFile, ...]]
    letters: dict[str, PoolFile]


def ensure() -> Pool:
    """Write the pool files that are missing (or changed) and describe them all."""
    documents = {
        kind: tuple(_put(name, name, content) for name, content in files)
        for kind, files in DOCUMENTS.items()
    }
    letters = {kind: _put(name, name, content) for kind, (name, content) in LETTERS.items()}
    return Pool(documents, letters)
