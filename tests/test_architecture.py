"""The import direction of DESIGN.md, so every app can be read on its own:

config -> everything
exports -> aftercare, doxing_cases, prevention, notifications, people
aftercare -> doxing_cases, notifications, people
doxing_cases -> notifications, people
prevention -> notifications, people
notifications -> people
people -> django only
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["people", "notifications", "prevention", "doxing_cases", "aftercare", "exports", "demo", "config"]
ALLOWED = {
    "people": set(),
    "notifications": {"people"},
    "prevention": {"notifications", "people"},
    "doxing_cases": {"notifications", "people"},
    "aftercare": {"doxing_cases", "notifications", "people"},
    "exports": {"aftercare", "doxing_cases", "prevention", "notifications", "people"},
    "demo": set(APPS) - {"demo", "config"},
    "config": set(APPS) - {"config"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_what_lies_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - ALLOWED[app] - {app})
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) - ALLOWED[app] - {app}
    }

    assert wrong == {}


def test_views_and_templates_never_call_guardian_directly():
    offenders = [
        str(path.relative_to(ROOT))
        for pattern in (
            "*/views.py",
            "*/views/*.py",
            "*/selectors.py",
            "*/selectors/*.py",
            "*/forms.py",
            "*/forms/*.py",
        )
        for path in ROOT.glob(pattern)
        if "guardian" in path.read_text()
    ]
    offenders += [
        str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html") if "guardian" in path.read_text()
    ]

    assert offenders == []


def test_grants_are_written_only_by_services():
    writers = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "assign_perm" in path.read_text() or "remove_perm" in path.read_text()
    )

    assert all("/services" in path for path in writers), writers


def test_no_template_or_page_loads_anything_from_elsewhere():
    remote = [
        str(path.relative_to(ROOT))
        for folder in ("templates", "static")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in {".html", ".css", ".js"}
        and ("//cdn" in path.read_text() or "https://fonts" in path.read_text())
    ]

    assert remote == []


def test_no_inline_scripts_or_styles_in_templates():
    inline = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "<script>" in path.read_text() or " style=" in path.read_text() or " onclick=" in path.read_text()
    ]

    assert inline == []
