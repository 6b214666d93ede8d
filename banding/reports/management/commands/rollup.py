"""`banding rollup`: freeze the reports' figures of every finished month not yet frozen (the
worker does the same on each pass; a month is otherwise frozen by the first report that
reads it)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from banding.reports.models import RollupMonth
from banding.reports.rollups import freeze_all


class Command(BaseCommand):
    help = (
        "Menghitung dan menyimpan angka laporan (dasbor, monitoring SOP, tinjauan manajemen) "
        "untuk setiap bulan yang sudah selesai dan belum dibekukan, agar laporan pertama tidak "
        "perlu menghitungnya."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ulang",
            action="store_true",
            help=(
                "Hitung ulang semua bulan yang sudah dibekukan (mis. setelah data diubah "
                "langsung di basis data, tanpa layanan aplikasi)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ulang"]:
            RollupMonth.objects.update(frozen=False)
        frozen = freeze_all()
        self.stdout.write(f"Bulan yang dibekukan: {frozen}")
