"""Text a person reads that is not marked for translation: in a template (text outside
`{% translate %}` / `{% blocktranslate %}`, and the attributes a browser shows: title,
placeholder, aria-label, alt, a button's value, the confirmation app.js asks), and in the
Python code (the keyword arguments and calls that put a literal in front of a person: labels,
verbose names, help texts, choices, form and service errors, flash messages, admin
descriptions). Marked means passed through gettext / gettext_lazy / gettext_noop (`_`, `N_`,
...): the catalog then holds it, and an Indonesian msgid keeps Indonesian pages as they are."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "banding"

# Words that are names or codes, the same in every language.
UNTRANSLATED = {
    "SiBanding",
    "BBSPJIKFK",
    "PDF",
    "XLSX",
    "CSV",
    "JSON",
    "ZIP",
    "API",
    "SOP",
    "QR",
    "URL",
    "ID",
    "EN",
    "SHA",
    "SHA-256",
    "ISO",
    "IEC",
    "TOTP",
    "OpenAPI",
    "Swagger",
    "No",
}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_HOLE = "§"  # where a template tag or variable was (a non-letter HTML reads inside a tag)

# Attributes whose text a person reads.
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "data-konfirmasi"}


@dataclass(frozen=True)
class Unmarked:
    where: str  # path:line
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def readable(text: str) -> bool:
    """Whether `text` holds a word someone would translate."""
    words = [w for w in _WORD.findall(text) if w not in UNTRANSLATED]
    return any(_LETTER.search(w) for w in words)


_QUOTED = re.compile(r"""(_\(\s*)?(?:"([^"]*)"|'([^']*)')""")
_FORMAT = re.compile(r"""\b(?:date|time|naturaltime|stringformat|floatformat|yesno)\s*:\s*$""")
# Tags whose quoted arguments are names (templates, URLs, libraries) or marked already.
_NAMING_TAGS = {"extends", "include", "url", "static", "load", "translate", "trans", "now"}


def _quoted_texts(contents: str, tag: str | None) -> list[str]:
    """The unmarked literal texts a tag or variable shows: `"Belum ada"` in
    `x|default:"Belum ada"` or in `{% include ... with label="Nama" %}`; not names
    (`'appeals:detail'`, `"includes/field.html"`, `'closed'`), formats or `_("...")`."""
    texts = []
    for match in _QUOTED.finditer(contents):
        text = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(1) or _FORMAT.search(contents[: match.start()]):
            continue
        if tag in _NAMING_TAGS and not re.search(r"\w+=\s*$", contents[: match.start()]):
            continue
        before, after = contents[: match.start()], contents[match.end() :]
        if re.search(r"(==|!=|<|>|\bin)\s*$", before) or re.match(r"\s*(==|!=|<|>|in\b)", after):
            continue  # compared with data, not shown
        if not (re.search(r"\s", text.strip()) or text[:1].isupper()):
            continue  # a name or a state, not a text
        texts.append(text)
    return texts


def _skeleton(source: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The template's own text by line, with every tag and variable a hole and the marked
    blocks (blocktranslate, comment) left out; and the texts quoted in tags and variables."""
    parts: list[tuple[int, str]] = []
    quoted: list[tuple[int, str]] = []
    skipping: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if skipping:
                if name == skipping:
                    skipping = None
                continue
            if name in ("blocktranslate", "blocktrans"):
                skipping = "end" + name
            elif name == "comment":
                skipping = "endcomment"
            parts.append((token.lineno, _HOLE))
            texts = _quoted_texts(token.contents, name)
        elif skipping:
            continue
        elif token.token_type == TokenType.TEXT:
            parts.append((token.lineno, token.contents))
            texts = []
        elif token.token_type == TokenType.VAR:
            parts.append((token.lineno, _HOLE))
            texts = _quoted_texts(token.contents, None)
        else:
            continue
        quoted.extend((token.lineno, text) for text in texts)
    return parts, quoted


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        shown = dict(attrs)
        for name, value in attrs:
            if value and (
                name in SHOWN_ATTRIBUTES
                or (
                    tag == "input"
                    and name == "value"
                    and shown.get("type") in ("submit", "button", "reset")
                )
            ):
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.found.append((self.getpos()[0], data))


def unmarked_in_template(path: Path) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    parts, quoted = _skeleton(source)
    where = path.relative_to(ROOT)
    if path.suffix == ".html":
        reader = _Reader()
        reader.feed(source_lines_kept(parts))
        reader.close()
        found = reader.found
    else:
        found = [(lineno, text) for lineno, text in parts]
    found += quoted
    return [
        Unmarked(f"{where}:{lineno}", " ".join(text.replace(_HOLE, "…").split()))
        for lineno, text in found
        if readable(text.replace(_HOLE, " "))
    ]


def source_lines_kept(parts: list[tuple[int, str]]) -> str:
    """The skeleton as one string whose line numbers are the template's: a hole or a left-out
    block stands in with as many newlines as the lines it covered."""
    out: list[str] = []
    line = 1
    for lineno, text in parts:
        if lineno > line:
            out.append("\n" * (lineno - line))
            line = lineno
        out.append(text)
        line += text.count("\n")
    return "".join(out)


def templates() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "templates" in path.relative_to(PACKAGE).parts
        and path.suffix in (".html", ".txt")
    )


# -- Python ------------------------------------------------------------------------------

MARKERS = {
    "_",
    "N_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}
# Keyword arguments whose value a person reads.
SHOWN_KEYWORDS = {
    "label",
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "empty_label",
    "description",
    "short_description",
    "message",
    "title",
}
# Calls whose first argument a person reads.
SHOWN_CALLS = {
    "ValidationError",
    "Invalid",
    "Forbidden",
    "NotFound",
    "Conflict",
    "ServiceError",
    "success",
    "info",
    "warning",
    "error",
    "add_message",
    "add_error",
}


# The API's own documentation (OpenAPI descriptions) is written in Indonesian and stays plain:
# the schema generator wants plain strings. Calls that only document are not checked.
DOCUMENTING = {
    "Field",
    "Query",
    "Path",
    "Body",
    "Form",
    "File",
    "NinjaAPI",
    "BandingApi",
    "Router",
    "Schema",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literal(node: ast.expr | None) -> str | None:
    """The text of a plain (unmarked) literal: a string, an f-string, or a `%`/`+` of one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left)
    return None


# A line that ends with this comment holds a name shown as written in every language (a
# language's own name): not marked, so no catalog (Django's says "Inggris" for "English")
# can change it.
AS_WRITTEN = "# i18n: as written"


class _PythonReader(ast.NodeVisitor):
    def __init__(self, where: str, lines: list[str]) -> None:
        self.where = where
        self.lines = lines
        self.found: list[Unmarked] = []

    def _check(self, node: ast.expr | None) -> None:
        text = _literal(node)
        if node is not None and self.lines[node.lineno - 1].rstrip().endswith(AS_WRITTEN):
            return
        if text is not None and readable(text):
            self.found.append(Unmarked(f"{self.where}:{node.lineno}", text))  # type: ignore[union-attr]

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in MARKERS:
            return  # what is inside is marked
        if name in DOCUMENTING:
            self.generic_visit(node)
            return
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                self._check(keyword.value)
            if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for pair in keyword.value.elts:
                    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                        self._check(pair.elts[1])
        if name in SHOWN_CALLS:
            args = node.args[1:] if name in ("success", "info", "warning", "error") else node.args
            if name == "add_message":
                args = node.args[2:]
            if name == "add_error":
                args = node.args[1:]
            if args:
                self._check(args[0])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        # Choices: `NAME = "value", "Label"`.
        if any(_name(base).endswith("Choices") for base in node.bases):
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and isinstance(item.value, ast.Tuple)
                    and len(item.value.elts) >= 2
                ):
                    self._check(item.value.elts[-1])
        # Meta: verbose_name = "..."; a form's or admin's attribute texts.
        for item in node.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1:
                target = _name(item.targets[0])
                if target in ("verbose_name", "verbose_name_plural", "site_header", "site_title"):
                    self._check(item.value)
        self.generic_visit(node)


def python_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    )


def unmarked_in_python(path: Path) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    reader = _PythonReader(str(path.relative_to(ROOT)), source.splitlines())
    reader.visit(ast.parse(source, filename=str(path)))
    return reader.found
