"""`banding seed-bulk`: add many appeals of realistic history, fast (for benchmarks)."""

from __future__ import annotations

from datetime import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bench.bulk.load import NOTICE_DAYS, Result, seed_bulk
from bench.bulk.writer import TABLES

# The tables as the report names them.
LABELS = {name: model._meta.db_table for name, (model, _) in TABLES.items()}


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


def _instant(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        raise ValueError(text)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Menambahkan N banding dengan riwayat realistis (kedua cabang SOP, langkah tepat waktu "
        "dan terlambat, banding terbuka di setiap langkah, dokumen, surat, notifikasi, survei, "
        "log audit berantai) ke database yang dikonfigurasi, dengan cepat: untuk uji volume dan "
        "benchmark. Akun demo dipastikan ada. Menjalankan ulang menambah data, tanpa bentrok."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--appeals", type=int, required=True, help="jumlah banding (N)")
        parser.add_argument("--seed", type=int, default=1, help="benih acak (bawaan 1)")
        parser.add_argument(
            "--open-share",
            type=_fraction,
            default=0.03,
            help="bagian banding yang masih berjalan, 0-1 (bawaan 0,03; 1 = semua terbuka)",
        )
        parser.add_argument(
            "--years", type=int, default=5, help="rentang tahun sampai sekarang (bawaan 5)"
        )
        parser.add_argument(
            "--notice-days",
            type=int,
            default=NOTICE_DAYS,
            help=(
                f"notifikasi yang dibuat: yang {NOTICE_DAYS} hari terakhir saja (bawaan); "
                "0 = seluruh riwayat (jauh lebih banyak baris, lebih lambat)"
            ),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            choices=(1, 2),
            default=None,
            help=(
                "2 = data dibangun di proses kedua sementara proses ini menulis (bawaan bila "
                "ada lebih dari satu CPU); 1 = satu proses"
            ),
        )
        parser.add_argument(
            "--now",
            type=_instant,
            default=None,
            help="'sekarang' bagi data (ISO 8601), untuk hasil yang sama persis antar-jalan",
        )

    def handle(self, *args, **options) -> None:
        if options["appeals"] < 1:
            raise CommandError("--appeals harus paling sedikit 1.")
        if options["years"] < 1:
            raise CommandError("--years harus paling sedikit 1.")
        if options["notice_days"] < 0:
            raise CommandError("--notice-days tidak boleh negatif.")
        self.stdout.write(f"Database: {connection.settings_dict['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        result = seed_bulk(
            appeals=options["appeals"],
            seed=options["seed"],
            open_share=options["open_share"],
            years=options["years"],
            notice_days=options["notice_days"],
            jobs=options["jobs"],
            now=options["now"],
        )
        self.stdout.write(report(result))


def report(result: Result) -> str:
    """The rows written per table, the time and the rate, as a Markdown table."""
    lines = ["| Tabel | Baris | Per banding |", "|---|---:|---:|"]
    for name, count in result.rows.items():
        per = count / result.appeals if result.appeals else 0
        lines.append(f"| {LABELS[name]} | {count:,} | {per:.2f} |")
    total = sum(result.rows.values())
    lines.append(f"| **jumlah** | **{total:,}** | **{total / max(result.appeals, 1):.1f}** |")
    lines.append("")
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.phases.items())
    lines.append(
        f"{result.appeals:,} banding ({result.open:,} masih berjalan) dalam "
        f"{result.seconds:.1f} detik: {result.per_second:,.0f} banding/detik ({phases})."
    )
    return "\n".join(lines)
