"""STYLE.md section 1: which module may import what, checked on every import statement with ast."""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "warehouse", "reports")

# library -> the only modules (glob, relative to the project root) that may import it
EDGE_LIBRARIES = {
    "requests": ("flows/fetch.py",),
    "duckdb": ("warehouse/db.py",),
    "weasyprint": ("reports/pdf.py",),
    "smtplib": ("reports/mail.py",),
    "prefect": ("flows/ingest.py", "flows/digest.py", "flows/serve.py", "flows/cli*.py"),
}
FLOW_MODULES = ("flows.ingest", "flows.digest", "flows.serve")
FLOW_IMPORTERS = ("flows/cli*.py", "flows/serve.py")
SHARED_FROM_FLOWS = ("flows.models", "flows.errors")


def package_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (PROJECT_ROOT / pkg).rglob("*.py"))


def module_name(path: Path) -> str:
    relative = path.relative_to(PROJECT_ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(path: Path, text: str | None = None) -> set[str]:
    """Every module an import statement in ``path`` names, relative imports resolved.

    ``from pkg import name`` names ``pkg.name`` when ``pkg`` is one of our packages (the name is
    a submodule or a package attribute) and ``pkg`` otherwise.
    """
    source = path.read_text(encoding="utf-8") if text is None else text
    tree = ast.parse(source, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module in PACKAGES:
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.add(module)
    return found


def matches(path: Path, patterns: tuple[str, ...]) -> bool:
    relative = path.relative_to(PROJECT_ROOT).as_posix()
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


def is_or_under(module: str, root: str) -> bool:
    return module == root or module.startswith(root + ".")


FILES = package_files()
IDS = [p.relative_to(PROJECT_ROOT).as_posix() for p in FILES]


def test_the_packages_have_modules_to_check() -> None:
    names = set(IDS)

    assert {"flows/fetch.py", "flows/models.py", "flows/errors.py"} <= names
    assert len(FILES) > 10


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_edge_libraries_are_imported_only_by_their_edge(path: Path) -> None:
    imports = imported_modules(path)

    offending = [
        library
        for library, allowed in EDGE_LIBRARIES.items()
        if any(is_or_under(m, library) for m in imports) and not matches(path, allowed)
    ]

    assert offending == [], f"{path.name} imports {offending}; see STYLE.md section 1"


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.relative_to(PROJECT_ROOT).parts[0] in ("warehouse", "reports")],
    ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix(),
)
def test_warehouse_and_reports_take_only_models_and_errors_from_flows(path: Path) -> None:
    from_flows = {m for m in imported_modules(path) if is_or_under(m, "flows")}

    extra = sorted(m for m in from_flows if not any(is_or_under(m, s) for s in SHARED_FROM_FLOWS))
    assert extra == [], f"{path.name} imports {extra}; only flows.models and flows.errors"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_flow_modules_are_imported_only_by_cli_and_serve(path: Path) -> None:
    imports = imported_modules(path)
    own = module_name(path)

    used = sorted(
        flow for flow in FLOW_MODULES if flow != own and any(is_or_under(m, flow) for m in imports)
    )

    assert not used or matches(path, FLOW_IMPORTERS), f"{path.name} imports {used}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_trafilatura_fetch_url_is_never_used(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))

    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("trafilatura")
        for alias in node.names
    }
    attributes = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "trafilatura"
    }

    assert "fetch_url" not in names | attributes  # all HTTP goes through flows/fetch.py


def test_checker_resolves_relative_and_package_imports() -> None:
    location = PROJECT_ROOT / "reports" / "render.py"
    text = (
        "from ..flows import ingest\nfrom . import pdf\nfrom .mail import x\n"
        "import requests.adapters\nfrom prefect.cache_policies import NO_CACHE\n"
    )

    found = imported_modules(location, text)

    assert found == {
        "flows.ingest",
        "reports.pdf",
        "reports.mail",
        "requests.adapters",
        "prefect.cache_policies",
    }


def test_checker_flags_a_planted_violation() -> None:
    location = PROJECT_ROOT / "warehouse" / "planted.py"

    imports = imported_modules(location, "import requests\nfrom flows.config import load_sources\n")

    assert any(is_or_under(m, "requests") for m in imports)
    assert not matches(location, EDGE_LIBRARIES["requests"])
    assert "flows.config" in imports


def test_trafilatura_imports() -> None:
    import trafilatura

    assert callable(trafilatura.bare_extraction)
