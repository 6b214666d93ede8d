"""The PAdES signature of a letter (pyHanko): a visible signature field where the letter's
signature block is, and a CMS signature over the whole file with the signer's certificate
chain; a timestamp from BANDING_SIGNING["TSA_URL"] when one is set (PAdES-B-T, else B-B).

The letter's template marks the place of the signature with an element whose id is ANCHOR:
WeasyPrint writes it as a named destination (page and top-left corner), where the field is
put; a PDF without it (the tests' text PDFs) has the field at the foot of its last page."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings

from banding.letters.signing.certificates import Credential

# pyHanko imports cryptography's DSA, which warns that it is deprecated: no letter uses DSA.
warnings.filterwarnings("ignore", "DSA is deprecated", module="pyhanko")

ANCHOR = "tanda-tangan-elektronik"
FIELD = "TandaTanganElektronik"
# The field's size in points (70 x 20 mm): the room the signature block keeps for it.
WIDTH, HEIGHT = 198, 57
# Where the field goes on the last page when the PDF does not mark its place.
FALLBACK = (56, 56)
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(capacity)s\n%(when)s"


def outside_event_loop[T](call: Callable[[], T]) -> T:
    """pyHanko's synchronous calls run asyncio.run(), which a thread with a running event loop
    refuses (an async view, a test driving a browser): there they run in a thread of their
    own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@dataclass(frozen=True)
class Placement:
    page: int  # zero-based
    box: tuple[int, int, int, int]  # (x1, y1, x2, y2) in points from the page's lower left


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """A certificate of `cryptography` as pyHanko takes it (asn1crypto)."""
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def _pages(reader: object) -> list[object]:
    """The references of the pages in order (a flat or nested page tree)."""
    from pyhanko.pdf_utils import generic

    found: list[object] = []

    def walk(node: generic.DictionaryObject) -> None:
        for kid in node["/Kids"]:
            target = kid.get_object()
            if target.get("/Type") == "/Pages":
                walk(target)
            else:
                found.append(kid.reference)

    walk(reader.root["/Pages"])  # type: ignore[attr-defined]
    return found


def placement(reader: object) -> Placement:
    """Where the signature field goes: the letter's ANCHOR destination, else the foot of the
    last page."""
    pages = _pages(reader)
    try:
        names = reader.root["/Names"]["/Dests"]["/Names"]  # type: ignore[attr-defined]
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == ANCHOR:
                destination = names[index + 1]
                if hasattr(destination, "keys"):  # a dictionary with the array as /D
                    destination = destination["/D"]
                # The page as its reference (indexing the array would give the page itself).
                page = pages.index(destination.raw_get(0).reference)
                x, y = int(float(destination[2])), int(float(destination[3]))
                return Placement(page=page, box=(x, y - HEIGHT, x + WIDTH, y))
    except (KeyError, ValueError, IndexError, TypeError, AttributeError):
        pass
    x, y = FALLBACK
    return Placement(page=len(pages) - 1, box=(595 - x - WIDTH, y, 595 - x, y + HEIGHT))


def sign(
    pdf: bytes,
    credential: Credential,
    *,
    capacity: str,
    when: str,
    reason: str,
    location: str | None = None,
) -> bytes:
    """`pdf` signed by `credential`: one incremental update with the visible field (the
    signer's name from the certificate, `capacity`, `when`) and the CMS signature."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = asn1_keys.PrivateKeyInfo.load(
        credential.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_certificate(credential.certificate),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_certificate(c) for c in credential.chain]
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    where = placement(writer.prev)
    timestamper = None
    if settings.BANDING_SIGNING["TSA_URL"]:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(settings.BANDING_SIGNING["TSA_URL"])
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=FIELD,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        ),
        signer=signer,
        timestamper=timestamper,
        stamp_style=stamp.TextStampStyle(stamp_text=STAMP_TEXT, border_width=1),
        new_field_spec=fields.SigFieldSpec(FIELD, on_page=where.page, box=where.box),
    )
    out = outside_event_loop(
        lambda: pdf_signer.sign_pdf(
            writer, appearance_text_params={"capacity": capacity, "when": when}
        )
    )
    return out.getvalue()
