"""Templates as files: an administrator's file in BANDING_TEMPLATE_OVERRIDES_DIR wins over the
shipped one, for a layout and for a default text; the letterhead set in the admin is printed."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from banding.letters import render, services
from banding.letters.models import Letterhead
from tests.factories import PNG_BYTES, register

# What is checked here is the PDF WeasyPrint makes.
pytestmark = pytest.mark.weasyprint


def test_the_override_directory_is_searched_first():
    assert settings.TEMPLATES[0]["DIRS"][0] == settings.BANDING_TEMPLATE_OVERRIDES_DIR


def test_a_file_in_the_override_directory_replaces_a_letter_template(p, tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "tanda_terima.html").write_text(
        '{% extends "letters/base.html" %}{% block body %}Versi balai: {{ appeal.number }}'
        "{% endblock %}"
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    appeal = register(p)
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    with override_settings(TEMPLATES=templates):
        html = render.render_html(draft)
    assert f"Versi balai: {appeal.number}" in html
    assert "KEMENTERIAN PERINDUSTRIAN" in html  # the shipped layout still frames it
    assert "DRAF" in html and "(nomor diberikan saat terbit)" in html


def test_a_text_in_the_override_directory_replaces_a_letters_default_text(p, tmp_path):
    (tmp_path / "letters" / "texts").mkdir(parents=True)
    (tmp_path / "letters" / "texts" / "tanda_terima-perihal.txt").write_text(
        "Tanda terima berkas & permohonan {{ number }}\n"
    )
    (tmp_path / "letters" / "texts" / "non_discrimination.txt").write_text(
        "Balai menjamin tidak ada perlakuan diskriminatif.\n"
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    appeal = register(p)
    with override_settings(TEMPLATES=templates):
        draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
        html = render.render_html(draft)
    # Plain text, not escaped, without the file's final line break.
    assert draft.fields["perihal"] == f"Tanda terima berkas & permohonan {appeal.number}"
    assert f"Tanda terima berkas &amp; permohonan {appeal.number}" in html
    assert "Balai menjamin tidak ada perlakuan diskriminatif." in html
    assert "tindakan diskriminatif" not in html


def test_the_shipped_texts_fill_the_parts_people_write(p):
    appeal = register(p)
    assert render.defaults(appeal, "undangan") == {
        "perihal": f"Undangan klarifikasi banding {appeal.number}",
        "waktu": "",
        "tempat": "",
        "acara": f"Klarifikasi permohonan banding {appeal.number} bersama Tim Panel Banding.",
    }


def test_the_letterhead_from_the_admin_is_printed(p):
    Letterhead.objects.create(
        ministry="KEMENTERIAN UJI",
        institute="BALAI UJI",
        address="Jl. Contoh 1",
        phone="021-1",
        email="balai@uji.example",
        city="Depok",
        logo=SimpleUploadedFile("logo.png", PNG_BYTES),
    )
    appeal = register(p)
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    html = render.render_html(draft)
    for text in ("KEMENTERIAN UJI", "BALAI UJI", "Jl. Contoh 1", "021-1", "balai@uji.example"):
        assert text in html
    assert "Depok, " in html
    assert 'src="data:image/png;base64,' in html
