"""Upload checks by content (not by name or the browser's word) and size."""

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.errors import Invalid

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every content type a stored upload can have (what `sniff` finds).
CONTENT_TYPES = (PDF, JPEG, PNG, DOCX, XLSX)
ACCEPTED = N_("PDF, JPEG, PNG, DOCX atau XLSX")


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    size: int
    sha256: str


def sniff(upload: File[bytes]) -> str | None:
    """The content type read from the file's own bytes, or None if not an accepted kind."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                types = (
                    archive.read("[Content_Types].xml")[:65536]
                    if "[Content_Types].xml" in names
                    else b""
                )
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        finally:
            upload.seek(0)
        # Macro-enabled documents (docm, xlsm) carry code; they are not accepted.
        if types and b"macroEnabled" not in types:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def human_size(size: int, *, up: bool = False) -> str:
    """`20 MB`, `1,5 MB`, `512 KB`, `900 byte`: one decimal, Indonesian decimal comma.
    A refused file's size is rounded up and the limit down, so the file never reads as no
    larger than the limit; whole-megabyte formatting said "batas 0 MB" for small limits."""
    for unit, factor in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            tenths = -(-size * 10 // factor) if up else size * 10 // factor
            whole, tenth = divmod(tenths, 10)
            return f"{whole},{tenth} {unit}" if tenth else f"{whole} {unit}"
    return f"{size} byte"


def check_upload(upload: UploadedFile) -> CheckedFile:
    limit = settings.BANDING_UPLOAD_MAX_BYTES
    name = upload.name or "berkas"
    if upload.size is None or upload.size == 0:
        raise Invalid(_("Berkas %(name)s kosong.") % {"name": name}, code="upload_empty")
    if upload.size > limit:
        raise Invalid(
            _("Berkas %(name)s berukuran %(size)s, melebihi batas %(limit)s.")
            % {"name": name, "size": human_size(upload.size, up=True), "limit": human_size(limit)},
            code="upload_too_large",
        )
    content_type = sniff(upload)
    if content_type is None:
        raise Invalid(
            _("Berkas %(name)s tidak dapat diterima: isinya bukan %(accepted)s.")
            % {"name": name, "accepted": ACCEPTED},
            code="upload_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, content_type, upload.size, digest.hexdigest())


@contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """Collects the storage names written during an action; if the action fails, removes
    them, so a refused or rolled-back action leaves no file behind."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
