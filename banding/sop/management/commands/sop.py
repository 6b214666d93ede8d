"""`banding sop`: the SOP definition as data (json) or as the SOP document (html, pdf)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.sop import document
from banding.sop.export import as_dict


class Command(BaseCommand):
    help = (
        "Mencetak definisi SOP 5.1.24 (json) atau dokumen SOP-nya: lembar identitas dan "
        "diagram alir (html, pdf; A4 lanskap)."
    )

    # Printing the definition or its document needs neither the database nor the checks.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=["json", "html", "pdf"], default="json", help="format keluaran"
        )
        parser.add_argument(
            "--output", metavar="FILE", help="tulis ke berkas ini (wajib untuk pdf)"
        )

    def handle(self, *args: Any, format: str, output: str | None, **options: Any) -> None:
        if format == "pdf":
            if not output:
                raise CommandError("Format pdf memerlukan --output BERKAS (mis. sop.pdf).")
            Path(output).write_bytes(document.render_pdf())
        else:
            text = (
                json.dumps(as_dict(), ensure_ascii=False, indent=2)
                if format == "json"
                else document.render_html()
            )
            if not output:
                self.stdout.write(text)
                return
            Path(output).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Dokumen SOP ditulis ke {output}.")
