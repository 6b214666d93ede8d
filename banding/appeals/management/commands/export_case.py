"""`banding export-case <number> [--output path.zip] [--by username]`: an appeal's evidence
pack (ZIP); its manifest names the user given with --by, else the system account that ran it."""

import getpass
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.archive.export import GENERATOR, REFUSED, export_case, may_export, pack_name


class Command(BaseCommand):
    help = (
        "Membuat paket bukti (ZIP) satu banding: semua dokumen dan surat, kronologi PDF, "
        "rantai peristiwa log audit, dan manifest berisi hash SHA-256 tiap berkas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="nomor register banding, mis. BDG/2026/0001")
        parser.add_argument(
            "--output", "-o", type=Path, help="berkas ZIP tujuan (bawaan: paket-bukti-<nomor>.zip)"
        )
        parser.add_argument(
            "--by", help="nama pengguna yang membuat paket (dicatat di manifest dan log audit)"
        )

    def handle(
        self, *args: Any, number: str, output: Path | None, by: str | None, **options: Any
    ) -> None:
        user = None
        if by:
            user = User.objects.filter(username=by.strip(), is_active=True).first()
            if user is None:
                raise CommandError(f"Pengguna aktif {by!r} tidak ditemukan.")
            if not may_export(user):
                raise CommandError(REFUSED)
        appeal = Appeal.objects.filter(number=number.strip()).first()
        if appeal is None:
            raise CommandError(f"Banding dengan nomor register {number!r} tidak ditemukan.")
        target = output or Path(pack_name(appeal))
        if not target.parent.is_dir():
            raise CommandError(f"Folder {str(target.parent)!r} tidak ada.")
        generator = f"{GENERATOR} banding export-case"
        with (
            target.open("wb") as out,
            export_case(
                appeal,
                user=user,
                generator=generator,
                operator=f"{getpass.getuser()} (akun sistem)",
            ) as pack,
        ):
            shutil.copyfileobj(pack, out)
        self.stdout.write(f"Paket bukti banding {appeal.number} ditulis ke {target}.")
