"""`banding rollup`: freeze the reports' figures of every finished month not yet frozen (the
worker does the same on each pass; a month is otherwise frozen by the first report that
reads it)."""

from typing import Any

from django.core.management.base import BaseCommand

from banding.reports.rollups import freeze_all


class Command(BaseCommand):
    help = (
        "Menghitung dan menyimpan angka laporan (dasbor, monitoring SOP, tinjauan manajemen) "
        "untuk setiap bulan yang sudah selesai dan belum dibekukan, agar laporan pertama tidak "
        "perlu menghitungnya."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        frozen = freeze_all()
        self.stdout.write(f"Bulan yang dibekukan: {frozen}")
