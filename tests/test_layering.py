"""The layering of DESIGN.md, checked over every module (AST, so lazy imports inside
functions count too): kb imports none of crawlers / alerts / ipwatch; crawlers and alerts
import kb only, never each other nor ipwatch."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"kb": ROOT / "kb", "crawlers": ROOT / "crawlers", "alerts": ROOT / "alerts"}
FORBIDDEN = {
    "kb": {"crawlers", "alerts", "ipwatch"},
    "crawlers": {"alerts", "ipwatch"},
    "alerts": {"crawlers", "ipwatch"},
}


def imported_packages(source: str, package: str, module_parts: tuple[str, ...]) -> set[str]:
    """Top-level package names a module imports (absolute and relative imports)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolves inside the module's own package
                base = (package, *module_parts)[: max(1, len(module_parts) + 1 - node.level)]
                found.add(base[0])
            elif node.module:
                found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value.split(".")[0])
    return found


def modules():
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            yield package, path


@pytest.mark.parametrize("package,path", list(modules()), ids=lambda x: str(x).replace(str(ROOT) + "/", ""))
def test_module_respects_the_layering(package, path):
    parts = path.relative_to(PACKAGES[package]).with_suffix("").parts
    found = imported_packages(path.read_text("utf-8"), package, parts[:-1])
    assert not found & FORBIDDEN[package], f"{path.relative_to(ROOT)} imports {sorted(found & FORBIDDEN[package])}"


def test_the_checker_sees_every_kind_of_import():
    source = ("import alerts.report\nfrom crawlers import run\n"
              "def f():\n    from ipwatch.cli import app\n    importlib.import_module('alerts.x')\n")
    assert {"alerts", "crawlers", "ipwatch"} <= imported_packages(source, "kb", ())
    assert imported_packages("from . import x\nfrom .. import y\n", "kb", ("sub",)) == {"kb"}
    assert len(list(modules())) > 30
