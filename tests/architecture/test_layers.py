"""The layers of docs/architecture.md, checked on the code: every import in `banding/` (at
the top of a module or inside a function, where a cycle would otherwise hide) goes down the
layers (within a package too: a domain module does not import its package's views), no module
imports another module's private name, no chain of imports runs in a circle, and no module is
over MAX_LINES.

Layers, bottom first:
0. foundation: `sop`, `workdays`, and the shared modules at the top of `banding/`
   (`errors`, `hooks`, `formats`, `paging`, `configured`, `prepared`, `inputs`);
1. domain, in this order (each may use those before it): `accounts` and `audit`, `appeals`,
   `letters`, `survey`, `corrective`, `archive` and `reports`;
2. delivery: `notifications`;
3. adapters: the staff web (every app's `views`, `forms`, `urls`, `admin`, `templatetags`),
   `portal`, `api`, the commands (`management/`, `platform`) and the project's `urls`,
   `settings`, `wsgi`, `cli`.
A lower layer that must trigger a higher one calls a hook (banding.hooks) that the higher
layer connects in its AppConfig.ready(); an `apps.py` is wiring and may import upward.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import banding

ROOT = Path(banding.__file__).parent

FOUNDATION = {
    "sop",
    "workdays",
    "errors",
    "hooks",
    "formats",
    "paging",
    "configured",
    "prepared",
    "inputs",
    "rows",
}
DOMAIN_ORDER = {
    "accounts": 0,
    "audit": 0,
    "appeals": 1,
    "letters": 2,
    "survey": 3,
    "corrective": 4,
    "archive": 5,
    "reports": 5,
}
DELIVERY = {"notifications"}
ADAPTER_PACKAGES = {"portal", "api", "platform", "urls", "settings", "wsgi", "cli"}
ADAPTER_FOLDERS = {"views", "forms", "templatetags", "management"}
ADAPTER_MODULES = {"urls", "admin", "forms", "views", "context_processors"}
WIRING = {"apps"}


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def layer(module: str) -> tuple[int, int]:
    """(layer, rank within the domain) of a module of `banding`."""
    parts = module.split(".")[1:]
    if not parts:
        return (3, 0)
    package, name = parts[0], parts[-1]
    if (
        package in ADAPTER_PACKAGES
        or ADAPTER_FOLDERS & set(parts)
        or name in ADAPTER_MODULES
        or name.endswith(("_views", "_urls", "_forms"))
    ):
        return (3, 0)
    if package in FOUNDATION:
        return (0, 0)
    if package in DOMAIN_ORDER:
        return (1, DOMAIN_ORDER[package])
    if package in DELIVERY:
        return (2, 0)
    raise AssertionError(f"{module}: in no layer; place its package in tests/architecture")


def target(name: str) -> str:
    """The module an imported name comes from: `a.b.c` if it is a module, else `a.b`."""
    return name if name in MODULES else name.rpartition(".")[0]


@cache
def imports(module: str) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names taken) of every `banding` import in `module`."""
    tree = ast.parse(MODULES[module].read_text())
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if not base.startswith("banding"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    found.append((node.lineno, full, []))
                else:
                    found.append((node.lineno, target(full), [alias.name]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("banding."):
                    found.append((node.lineno, target(alias.name), []))
    return found


def test_every_module_is_in_a_layer():
    for module in MODULES:
        layer(module)


def test_imports_go_down_the_layers():
    upward = []
    for module in MODULES:
        if module.rpartition(".")[2] in WIRING:
            continue
        here = layer(module)
        for line, imported, _ in imports(module):
            there = layer(imported)
            if there > here:
                upward.append(f"{module}:{line} imports {imported}")
    assert upward == []


def test_no_module_takes_another_modules_private_names():
    taken = [
        f"{module}:{line} takes {name} from {imported}"
        for module in MODULES
        for line, imported, names in imports(module)
        for name in names
        if name.startswith("_") and imported != module
    ]
    assert taken == []


def test_no_import_cycle():
    graph = {m: sorted({i for _, i, _ in imports(m) if i in MODULES and i != m}) for m in MODULES}
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for nxt in graph[module]:
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


MAX_LINES = 500


def test_no_module_is_over_the_size_of_a_room():
    """A module over MAX_LINES is a wing to split by responsibility (migrations aside)."""
    large = {
        module: lines
        for module, path in MODULES.items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert large == {}
