"""Checking a letter's PAdES signature (pyHanko's validator), for the public verification page
and `banding letters verify`: the file is a PDF with exactly one signature, intact (the bytes it
covers are unchanged and it covers the whole file), made with a certificate that chains to the
trust roots (BANDING_SIGNING["TRUST_ROOTS"]); who signed and when.

Any file can be given, so anything wrong with it is an answer with a message, never an
exception."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from banding import formats
from banding.letters.signing import pades
from banding.letters.signing.certificates import trust_roots

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    code: str  # "valid", or why not: not_pdf, unreadable, unsigned, several, altered, untrusted
    message: str
    signer: str = ""  # the certificate's common name
    subject: str = ""
    issuer: str = ""
    signed_at: datetime | None = None
    intact: bool = False
    trusted: bool = False

    @property
    def signed_at_text(self) -> str:
        return formats.format_wib(self.signed_at) if self.signed_at else ""


def _refused(code: str, message: str) -> SignatureCheck:
    return SignatureCheck(ok=False, code=code, message=message)


def is_pdf(content: bytes) -> bool:
    # A PDF's header may follow up to 1 KiB of other bytes (ISO 32000-1, 7.5.2 note).
    return b"%PDF-" in content[:1024]


def check_signature(content: bytes) -> SignatureCheck:
    if not is_pdf(content):
        return _refused("not_pdf", _("Berkas ini bukan PDF."))
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # a damaged or truncated file fails anywhere in the reader
        logger.info("letter signature: unreadable PDF", exc_info=True)
        return _refused(
            "unreadable",
            _("Berkas PDF ini rusak atau tidak lengkap; tanda tangannya tidak dapat diperiksa."),
        )
    if not signatures:
        return _refused("unsigned", _("Berkas PDF ini tidak memuat tanda tangan elektronik."))
    if len(signatures) > 1:
        return _refused(
            "several",
            _(
                "Berkas PDF ini memuat %(count)s tanda tangan elektronik, sedangkan surat "
                "SiBanding ditandatangani satu kali; berkas ini bukan surat yang diterbitkan."
            )
            % {"count": len(signatures)},
        )
    return _validated(signatures[0])


def _validated(signature: object) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots()
    try:
        # The chain is checked at the time the signer states (as PDF readers do by default):
        # a letter stays valid after its signer's certificate expires; never in the future.
        claimed = signature.self_reported_timestamp  # type: ignore[attr-defined]
        now = timezone.now()
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, moment=min(claimed or now, now)
        )
        status = pades.outside_event_loop(
            lambda: validate_pdf_signature(signature, context)  # type: ignore[arg-type]
        )
    except Exception:  # a malformed signature dictionary or CMS blob
        logger.info("letter signature: cannot be validated", exc_info=True)
        return _refused(
            "unreadable",
            _("Tanda tangan elektronik dalam berkas ini rusak dan tidak dapat diperiksa."),
        )
    certificate = status.signing_cert
    signer = certificate.subject.native.get("common_name", "") or certificate.subject.human_friendly
    found = {
        "signer": signer,
        "subject": certificate.subject.human_friendly,
        "issuer": certificate.issuer.human_friendly,
        "signed_at": status.signer_reported_dt,
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
    }
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    if not (status.intact and status.valid and whole):
        return SignatureCheck(
            ok=False,
            code="altered",
            message=_(
                "Tanda tangan elektronik TIDAK sah: isi berkas telah diubah setelah ditandatangani."
            ),
            **{**found, "intact": False},
        )
    if not status.trusted:
        return SignatureCheck(
            ok=False,
            code="untrusted",
            message=_(
                "Berkas utuh sejak ditandatangani, tetapi sertifikat penanda tangannya "
                "(diterbitkan oleh %(issuer)s) tidak berasal dari otoritas sertifikat yang "
                "dipercaya: tanda tangan ini tidak diakui."
            )
            % {"issuer": found["issuer"]},
            **found,
        )
    when = formats.format_wib(status.signer_reported_dt) if status.signer_reported_dt else "-"
    return SignatureCheck(
        ok=True,
        code="valid",
        message=_(
            "Tanda tangan elektronik sah: berkas utuh sejak ditandatangani oleh %(signer)s "
            "pada %(when)s, dengan sertifikat dari %(issuer)s."
        )
        % {"signer": signer, "when": when, "issuer": found["issuer"]},
        **found,
    )
