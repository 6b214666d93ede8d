"""`banding export-case <number> [--output path.zip]`: an appeal's evidence pack (ZIP)."""

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.appeals.models import Appeal
from banding.archive.export import GENERATOR, export_case, pack_name


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

    def handle(self, *args: Any, number: str, output: Path | None, **options: Any) -> None:
        appeal = Appeal.objects.filter(number=number.strip()).first()
        if appeal is None:
            raise CommandError(f"Banding dengan nomor register {number!r} tidak ditemukan.")
        target = output or Path(pack_name(appeal))
        if not target.parent.is_dir():
            raise CommandError(f"Folder {str(target.parent)!r} tidak ada.")
        generator = f"{GENERATOR} banding export-case"
        with target.open("wb") as out, export_case(appeal, generator=generator) as pack:
            shutil.copyfileobj(pack, out)
        self.stdout.write(f"Paket bukti banding {appeal.number} ditulis ke {target}.")
