"""Indonesian msgids are their own Indonesian text. Django's own Indonesian catalog (and a
third-party app's) also answers for our msgids: an English-looking one such as "No" would be
printed as "Tidak" on a staff page. And what is always Indonesian (a letter's default texts)
stays so when the caller's language is English."""

from __future__ import annotations

import pytest
from django.utils import translation

from banding.letters import render, services
from tests.factories import register
from tests.i18n.catalog import po_entries


def test_every_msgid_reads_as_itself_in_indonesian():
    ours = po_entries("id")  # the names we give third-party texts on purpose
    msgids = [m for m in po_entries("en") if m not in ours or not ours[m].msgstr]
    assert len(msgids) > 1000  # the catalog holds the staff texts too
    with translation.override("id"):
        changed = {m: translation.gettext(m) for m in msgids if translation.gettext(m) != m}
    assert changed == {}, f"msgids another catalog translates in Indonesian: {changed}"


@pytest.mark.django_db
def test_a_letters_default_texts_stay_indonesian_for_an_english_caller(p, monkeypatch):
    appeal = register(p)
    with translation.override("id"):
        indonesian = render.defaults(appeal, "tanda_terima")
    assert indonesian["perihal"]

    real = translation.gettext

    def english(message):  # an English catalog that knows every text
        return "ENGLISH" if translation.get_language() == "en" else real(message)

    monkeypatch.setattr(translation, "gettext", english)
    with translation.override("en"):
        assert render.defaults(appeal, "tanda_terima") == indonesian
        draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    assert draft.fields["perihal"] == indonesian["perihal"]
