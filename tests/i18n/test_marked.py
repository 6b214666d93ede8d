"""Every text a person reads is marked for translation: the templates (staff pages, the
portal, e-mails, letters) and the Python code's labels, choices, errors and messages. Staff
pages and letters stay Indonesian (the msgids are Indonesian and the staff UI is always served
in Indonesian); marking them is what lets a later English staff UI, or a corrected wording,
come from the catalog alone."""

from __future__ import annotations

import pytest

from tests.i18n.marking import (
    ROOT,
    python_files,
    readable,
    templates,
    unmarked_in_python,
    unmarked_in_template,
)


def _where(path):
    return str(path.relative_to(ROOT))


def test_the_readers_find_templates_and_code():
    assert len(templates()) > 150
    assert len(python_files()) > 200


@pytest.mark.parametrize(
    ("text", "shown"),
    [("Simpan", True), ("SiBanding · PDF", False), ("§ · §", False), ("12:30", False)],
)
def test_what_counts_as_text(text, shown):
    assert readable(text) is shown


def test_the_template_reader_finds_unmarked_text(tmp_path, monkeypatch):
    from tests.i18n import marking

    monkeypatch.setattr(marking, "ROOT", tmp_path)
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Judul" %}</h1>\n'
        '<p title="Keterangan">{{ x }}</p>\n'
        "{% blocktranslate %}Halo {{ name }}{% endblocktranslate %}\n"
        '<button type="submit" name="a" value="ok">Kirim</button>\n'
        '{% if a == "Nilai data" %}<details {% if b %}open{% endif %}></details>{% endif %}\n'
        '{{ y|default:"Belum ada" }} {{ d|date:"j F Y" }} {{ z|default:_("Tidak ada") }}\n'
        "<script>const label = 'tidak diperiksa';</script>\n",
        encoding="utf-8",
    )
    found = [(u.where, u.text) for u in unmarked_in_template(page)]
    assert found == [
        ("page.html:2", "Keterangan"),
        ("page.html:4", "Kirim"),
        ("page.html:6", "Belum ada"),
    ]


def test_the_python_reader_finds_unmarked_text(tmp_path, monkeypatch):
    from tests.i18n import marking

    monkeypatch.setattr(marking, "ROOT", tmp_path)
    code = tmp_path / "code.py"
    code.write_text(
        "from django.utils.translation import gettext_lazy as _\n"
        "name = models.CharField(verbose_name='Nama', help_text=_('Bantuan'))\n"
        "class Status(models.TextChoices):\n"
        "    OPEN = 'open', 'Berjalan'\n"
        "    DONE = 'done', _('Selesai')\n"
        "raise Invalid(f'Langkah {n} salah.')\n"
        "messages.success(request, _('Tersimpan %(x)s') % {'x': 1})\n"
        "note = Field(description='Dokumentasi API')\n"
        "class Language(models.TextChoices):\n"
        "    EN = 'en', 'English'  # i18n: as written\n",
        encoding="utf-8",
    )
    found = [(u.where, u.text) for u in unmarked_in_python(code)]
    assert found == [
        ("code.py:2", "Nama"),
        ("code.py:4", "Berjalan"),
        ("code.py:6", "Langkah {…} salah."),
    ]


@pytest.mark.parametrize("path", templates(), ids=_where)
def test_no_template_text_is_unmarked(path):
    found = unmarked_in_template(path)
    assert found == [], "mark with {% translate %} / {% blocktranslate %}:\n" + "\n".join(
        map(str, found)
    )


@pytest.mark.parametrize("path", python_files(), ids=_where)
def test_no_python_text_is_unmarked(path):
    found = unmarked_in_python(path)
    assert found == [], "mark with _() / gettext_lazy / N_():\n" + "\n".join(map(str, found))
