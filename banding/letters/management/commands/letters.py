"""`banding letters verify BERKAS.pdf`: check a letter's PAdES signature offline, without the
database or the server (banding.letters.signing.verification): intact, who signed and when,
and whether the certificate chains to the trust root (BANDING_SIGNING_TRUST_ROOTS, or
--trust-roots). Exits non-zero when the signature is not valid."""

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.letters.signing.certificates import load_trust_roots
from banding.letters.signing.verification import check_signature


class Command(BaseCommand):
    help = (
        "Surat dinas: memeriksa tanda tangan elektronik (PAdES) sebuah berkas PDF surat tanpa "
        "basis data (verify)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="memeriksa keutuhan berkas, penanda tangan, waktu tanda tangan dan rantai "
            "sertifikatnya sampai ke akar kepercayaan",
        )
        verify.add_argument("file", type=Path, metavar="BERKAS.pdf", help="berkas PDF surat")
        verify.add_argument(
            "--trust-roots",
            type=Path,
            metavar="BERKAS",
            help="sertifikat akar kepercayaan (PEM); bawaan: BANDING_SIGNING_TRUST_ROOTS",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        self._verify(options["file"], options.get("trust_roots"))

    def _verify(self, file: Path, roots: Path | None) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Berkas {file} tidak dapat dibaca: {error.strerror}.") from None
        if roots is not None:
            try:
                load_trust_roots(roots)
            except OSError as error:
                raise CommandError(f"Berkas akar kepercayaan {roots}: {error.strerror}.") from None
            except ValueError as error:
                raise CommandError(str(error)) from None
            settings.BANDING_SIGNING = {**settings.BANDING_SIGNING, "TRUST_ROOTS": roots}
        check = check_signature(content)
        self.stdout.write(f"Berkas: {file}")
        self.stdout.write(f"SHA-256: {hashlib.sha256(content).hexdigest()}")
        if check.signer:
            self.stdout.write(f"Penanda tangan: {check.signer} ({check.subject})")
            self.stdout.write(f"Penerbit sertifikat: {check.issuer}")
            self.stdout.write(f"Waktu tanda tangan: {check.signed_at_text or '-'}")
            self.stdout.write(
                "Keutuhan: " + ("utuh sejak ditandatangani" if check.intact else "TIDAK utuh")
            )
            self.stdout.write(
                "Rantai sertifikat: "
                + ("sampai ke akar kepercayaan" if check.trusted else "TIDAK dipercaya")
            )
        if not check.ok:
            raise CommandError(check.message)
        self.stdout.write(check.message)
