"""`banding sop --format json`: the SOP definition as data."""

import json

from django.core.management.base import BaseCommand, CommandParser

from banding.sop.definition import as_dict


class Command(BaseCommand):
    help = "Mencetak definisi SOP 5.1.24 (langkah, pelaksana, mutu baku, keputusan)."

    # Printing the definition needs neither the database nor the checks.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json"], default="json", help="format keluaran")

    def handle(self, *args, format: str, **options) -> None:
        self.stdout.write(json.dumps(as_dict(), ensure_ascii=False, indent=2))
