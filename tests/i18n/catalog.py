"""A small reader of the committed catalogs (banding/locale/<lang>/LC_MESSAGES/django.po and
.mo), and the msgids a set of templates uses, as makemessages would extract them."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "banding" / "locale"
TEMPLATES = ROOT / "banding" / "templates"

_STRING = r'"((?:[^"\\]|\\.)*)"'
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str  # the singular's (msgstr[0] of a plural entry)
    fuzzy: bool
    plurals: tuple[str, ...] = ()  # msgstr[0], msgstr[1], ... of a plural entry

    def compiled(self) -> dict[str | tuple[str, int], str]:
        """What the .mo holds for it: msgid -> msgstr, or (msgid, n) -> msgstr[n]."""
        if self.plurals:
            return {(self.msgid, n): text for n, text in enumerate(self.plurals) if text}
        return {self.msgid: self.msgstr} if self.msgstr else {}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


def _joined(lines: str) -> str:
    return _unescape("".join(re.findall(_STRING, lines)))


def po_entries(language: str) -> dict[str, Entry]:
    """The .po's live entries (not the header, not obsolete `#~` ones), by msgid."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith("#~"):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        plural = re.search(r"^msgid ((?:\".*\"\n?)+)^msgid_plural ", block + "\n", re.M)
        if plural is not None:
            msgid = _joined(plural.group(1))
            forms = tuple(
                _joined(m)
                for m in re.findall(r"^msgstr\[\d+\] ((?:\".*\"\n?)+)", block + "\n", re.M)
            )
            entries[msgid] = Entry(msgid, forms[0] if forms else "", fuzzy, forms)
            continue
        match = re.search(r"^msgid ((?:\".*\"\n?)+)^msgstr ((?:\".*\"\n?)+)", block + "\n", re.M)
        if match is None:
            continue
        msgid = _joined(match.group(1))
        if not msgid:
            continue
        entries[msgid] = Entry(msgid, _joined(match.group(2)), fuzzy)
    return entries


def mo_catalog(language: str) -> dict[str, str]:
    """The compiled .mo's translations, by msgid (the header left out)."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    catalog = dict(translations._catalog)  # the parsed .mo: msgid -> msgstr
    catalog.pop("", None)
    return catalog


# templatize turns {% translate %} and {% blocktranslate %} into gettext('...') calls, the
# way makemessages reads a template.
_CALL = re.compile(r"\b(?:p?gettext|ngettext)\(\s*(?:u?'[^']*',\s*)?u?'((?:[^'\\]|\\.)*)'")


def template_msgids(paths: list[Path]) -> dict[str, set[str]]:
    """Every msgid the templates use, with the templates using it."""
    found: dict[str, set[str]] = {}
    for path in paths:
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for raw in _CALL.findall(code):
            msgid = raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
            found.setdefault(msgid, set()).add(str(path.relative_to(ROOT)))
    return found
