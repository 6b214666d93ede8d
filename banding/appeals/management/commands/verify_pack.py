"""`banding verify-pack <paket.zip>`: check an evidence pack offline (banding.archive.verify);
exits non-zero naming each altered, missing or unlisted file and a broken chain."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.archive.verify import verify_pack


class Command(BaseCommand):
    help = (
        "Memeriksa paket bukti (ZIP) tanpa basis data: SHA-256 dan ukuran tiap berkas terhadap "
        "manifest, berkas tersimpan terhadap hash saat diunggah/diterbitkan, dan rantai hash "
        "peristiwa log audit."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", type=Path, help="berkas ZIP paket bukti")

    def handle(self, *args: Any, pack: Path, **options: Any) -> None:
        result = verify_pack(pack)
        if not result.ok:
            raise CommandError(
                "Paket bukti TIDAK UTUH:\n" + "\n".join(f"- {p}" for p in result.problems)
            )
        self.stdout.write(
            f"Paket bukti utuh: {result.checked} berkas cocok dengan manifest, "
            f"rantai {result.events} peristiwa utuh."
        )
        if not result.macs_checked:
            self.stdout.write(
                "MAC peristiwa tidak diperiksa: kunci log audit tidak ada di sini "
                "(BANDING_AUDIT_KEY/BANDING_AUDIT_KEY_FILE); hanya tautan rantai yang diperiksa."
            )
