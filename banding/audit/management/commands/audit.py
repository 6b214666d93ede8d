"""`banding audit verify`: check that no event of the log was altered or removed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.audit.verify import verify_log


class Command(BaseCommand):
    help = "Memeriksa rantai hash log audit (peristiwa yang diubah atau dihapus)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify",
            help="menelusuri seluruh rantai dan menyebut peristiwa pertama yang rusak",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        verdict = verify_log()
        if verdict.broken is not None:
            raise CommandError(f"Rantai log audit RUSAK: {verdict.broken.describe()}.")
        self.stdout.write(f"OK: rantai log audit utuh, {verdict.count} peristiwa diperiksa.")
