"""`banding sop --format html|pdf --output FILE`: the SOP document from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("sop", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_pdf(tmp_path):
    target = tmp_path / "sop.pdf"

    output = run("--format", "pdf", "--output", str(target))

    assert output.strip() == f"Dokumen SOP ditulis ke {target}."
    reader = PdfReader(target)
    assert len(reader.pages) == 4  # identity sheet, two flowchart pages, SiBanding's provisions
    assert "Penanganan Banding Pelanggan" in reader.pages[0].extract_text()


def test_it_writes_the_html_file(tmp_path):
    target = tmp_path / "sop.html"

    run("--format", "html", "--output", str(target))

    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert 'id="sop-langkah-1"' in html and 'id="sop-langkah-12"' in html
    assert "size: A4 landscape" in html  # the stylesheet travels with the file


def test_it_prints_the_html_without_output(tmp_path):
    assert 'id="sop-langkah-7"' in run("--format", "html")


def test_it_refuses_a_pdf_without_an_output_file():
    with pytest.raises(
        CommandError, match=r"Format pdf memerlukan --output BERKAS \(mis\. sop\.pdf\)\."
    ):
        run("--format", "pdf")


def test_it_refuses_a_format_it_does_not_have():
    with pytest.raises(CommandError, match="invalid choice: 'docx'"):
        run("--format", "docx")
