"""`banding sla`: one deadline sweep now (the worker runs the same every minute)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from banding.appeals.sla import sla_sweep
from banding.corrective.reminders import corrective_sweep
from banding.notifications.digests import digest_sweep


class Command(BaseCommand):
    help = (
        "Menjalankan satu kali penyisiran tenggat: mengingatkan pelaksana langkah yang hampir "
        "jatuh tempo, memberi tahu pelaksana langkah yang terlambat dan mengeskalasinya ke "
        "atasan, serta mengingatkan tindakan perbaikan yang hampir jatuh tempo atau "
        "terlambat. Setiap pemberitahuan dikirim sekali per langkah; surelnya berupa ringkasan "
        "per orang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sla_sweep()
        self.stdout.write(f"Langkah hampir jatuh tempo diingatkan: {result.at_risk}")
        self.stdout.write(f"Langkah terlambat dilaporkan dan dieskalasi: {result.overdue}")
        self.stdout.write(f"Langkah dieskalasi lanjut kepada Kepala Balai: {result.escalated}")
        # The corrective actions' deadlines too (the worker runs the same job): a server that
        # runs `banding sla` from cron instead of the worker misses no reminder.
        corrective = corrective_sweep()
        self.stdout.write(
            f"Tindakan perbaikan hampir jatuh tempo diingatkan: {corrective.due_soon}"
        )
        self.stdout.write(f"Tindakan perbaikan terlambat dilaporkan: {corrective.overdue}")
        # Their e-mails: one digest per person whose window has passed (office hours).
        digests = digest_sweep()
        self.stdout.write(f"Ringkasan tenggat diantrekan: {digests.digests}")
        failed = result.failed + corrective.failed
        if failed:
            raise CommandError(
                f"{failed} langkah atau tindakan perbaikan gagal diberi tahu (lihat log); "
                "penyisiran berikutnya mencobanya lagi."
            )
