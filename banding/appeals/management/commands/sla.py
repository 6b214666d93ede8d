"""`banding sla`: one deadline sweep now (the worker runs the same every minute)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from banding.appeals.sla import sla_sweep
from banding.notifications.digests import digest_sweep


class Command(BaseCommand):
    help = (
        "Menjalankan satu kali penyisiran tenggat: mengingatkan pelaksana langkah yang hampir "
        "jatuh tempo, memberi tahu pelaksana langkah yang terlambat dan mengeskalasinya ke "
        "atasan. Setiap pemberitahuan dikirim sekali per langkah; surelnya berupa ringkasan per "
        "orang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sla_sweep()
        self.stdout.write(f"Langkah hampir jatuh tempo diingatkan: {result.at_risk}")
        self.stdout.write(f"Langkah terlambat dilaporkan dan dieskalasi: {result.overdue}")
        # Their e-mails: one digest per person whose window has passed (office hours).
        digests = digest_sweep()
        self.stdout.write(f"Ringkasan tenggat diantrekan: {digests.digests}")
        if result.failed:
            raise CommandError(
                f"{result.failed} langkah gagal diberi tahu (lihat log); penyisiran berikutnya "
                "mencobanya lagi."
            )
