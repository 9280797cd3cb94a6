"""Imports run down the layers, never up (DESIGN: "a domain imports another domain's
service module by name"; issue 10): a package imports only packages below it or beside
it, so the domains can be read, tested and changed from the bottom up, and there is no
cycle. Cross-domain reactions live in `app/flows.py`, at the top; a router may call them
(the one import allowed to run up: a request that changes several domains starts there)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Lowest first. A package may import from its own layer's packages and any layer below.
LAYERS: list[set[str]] = [
    {"core"},
    {"calendar"},
    {"children"},
    {"freetext"},  # the checks: children's names, no domain above
    {"referrals"},
    {"arrangements", "venues"},
    {"sessions"},
    {"availability", "timetables", "visits", "transport", "agreements", "oversight"},
    {"records"},
    {"documents"},  # court PDFs: read records, sessions, agreements, oversight
    {"events", "health"},
    {"webhooks"},  # delivers the events
    {"jobs"},  # the worker: deliveries and every domain's sweeps
    {"exports", "reports"},  # data teams: read every domain
    {"flows", "models", "main", "cli", "demo"},  # the top: wiring and reactions across domains; the demo calls the whole API
]
LAYER_OF = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def package_of(path: Path) -> str:
    relative = path.relative_to(APP)
    return relative.parts[0].removesuffix(".py")


def upward_imports(root: Path = APP) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        source = package_of(path) if root == APP else path.relative_to(root).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                names = [node.module] if node.module != "app" else [f"app.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("app.")]
            for name in names:
                target = name.split(".")[1] if "." in name else name
                if target == "flows" and path.name == "router.py":
                    continue
                if target in LAYER_OF and source in LAYER_OF and LAYER_OF[target] > LAYER_OF[source]:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {source} -> {target}")
    return found


def test_every_package_has_a_layer():
    packages = {package_of(p) for p in APP.rglob("*.py")} - {"__init__"}
    assert packages - set(LAYER_OF) == set()


def test_no_import_runs_from_a_lower_layer_up():
    assert upward_imports() == []


def test_the_table_models_load_no_calendar_or_pdf_code():
    """Alembic imports `app.models`; table models live in `models.py` files only, so a
    migration loads no iCalendar or PDF library."""
    import subprocess
    import sys

    probe = "import sys, app.models; print(sorted({'icalendar', 'fpdf', 'pypdf'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=APP.parent)
    assert loaded.stdout.strip() == "[]"
