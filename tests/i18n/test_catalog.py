"""The committed catalogs: compiled as written, and every text a customer reads in the portal
or in a customer's e-mail translated into English."""

from __future__ import annotations

import re

from banding.notifications.rendering import CUSTOMER_MAIL_KINDS, TEMPLATE_DIR
from tests.i18n.catalog import TEMPLATES, mo_catalog, po_entries, template_msgids

_INCLUDE = re.compile(r"""\{%\s*include\s+["']([^"']+)["']""")


def _with_includes(paths):
    """`paths` and every template they include, and those include, by name."""
    found, todo = set(), list(paths)
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for name in _INCLUDE.findall(path.read_text(encoding="utf-8")):
            todo.append(TEMPLATES / name)
    return sorted(found)


def _portal_and_customer_mail_templates():
    portal = sorted((TEMPLATES / "portal").rglob("*.html"))
    mail_dir = TEMPLATES / TEMPLATE_DIR
    mails = sorted(
        path
        for path in mail_dir.iterdir()
        if path.name.startswith("base.") or path.name.rsplit("-", 1)[0] in CUSTOMER_MAIL_KINDS
    )
    # With the includes the portal's pages and the mails render (form fields, kept files,
    # the duplicate warning, pagination).
    return _with_includes(portal + mails)


def test_the_compiled_catalogs_match_their_sources():
    for language in ("en", "id"):
        written = {
            key: text
            for e in po_entries(language).values()
            if not e.fuzzy
            for key, text in e.compiled().items()
        }
        assert mo_catalog(language) == written, (
            f"banding/locale/{language}: the .mo is not the .po compiled; run "
            "`uv run banding compilemessages --ignore=.venv` and commit the .mo"
        )


def test_no_translation_is_a_guess():
    for language in ("en", "id"):
        guessed = [e.msgid for e in po_entries(language).values() if e.fuzzy]
        assert guessed == [], f"fuzzy entries in banding/locale/{language}: {guessed}"


def test_every_text_of_the_portal_and_of_customer_mail_has_its_english():
    templates = _portal_and_customer_mail_templates()
    assert any("milestone-body.txt" in str(t) for t in templates)
    assert any("kept_files.html" in str(t) for t in templates)
    used = template_msgids(templates)
    assert len(used) > 100  # the extraction reads the templates
    english = po_entries("en")
    missing = {
        msgid: sorted(where)
        for msgid, where in used.items()
        if msgid not in english or not english[msgid].msgstr or english[msgid].fuzzy
    }
    assert missing == {}, (
        "texts without English (run makemessages, translate in banding/locale/en, "
        f"compilemessages): {missing}"
    )


def test_the_english_is_english_not_a_copy():
    english = po_entries("en")
    # A few proper names and codes are the same in both languages.
    same = {e.msgid for e in english.values() if e.msgstr == e.msgid}
    assert same <= {"Task Result", "Task Results", "SHA-256"}, same
