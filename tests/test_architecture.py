"""The rules of ARCHITECTURE.md, checked: the import contracts of pyproject.toml (import-linter),
no private name borrowed across modules, no folder of app/ grown into a heap."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
MODULES_PER_FOLDER = 25


# Every contract of pyproject.toml; test_every_contract_is_held keeps the two lists equal.
HELD_CONTRACTS = ("layers", "service-features", "ui-features", "acyclic", "pure-domain", "no-qt-below-ui",
                  "ui-through-services")


def _lint_imports() -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(ROOT)     # the checkout's app, whatever is installed
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    contracts = [arg for contract in HELD_CONTRACTS for arg in ("--contract", contract)]
    return subprocess.run([sys.executable, "-c", code, "--no-cache", *contracts], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    done = _lint_imports()
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert f"Contracts: {len(HELD_CONTRACTS)} kept, 0 broken." in done.stdout, done.stdout[-3000:]


def test_every_contract_of_pyproject_is_held():
    # Read as text: tomllib is not in Python 3.10, which the project still supports.
    declared = re.findall(r'^id = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(declared) == sorted(HELD_CONTRACTS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _borrowed_private_names(source: str, own: str) -> list[str]:
    """``from app.x import _y`` and ``x._y`` on an imported app module, outside the module that owns _y."""
    tree = ast.parse(source, own)
    found, module_aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            for alias in node.names:
                if alias.name.startswith("_") and node.module != own:
                    found.append(f"{own}: from {node.module} import {alias.name}")
                elif node.module != own:
                    module_aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("app") and alias.asname:
                    module_aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in module_aliases):
            target = module_aliases[node.value.id]
            if (APP.parent / (target.replace(".", "/") + ".py")).exists() or \
                    (APP.parent / target.replace(".", "/") / "__init__.py").exists():
                found.append(f"{own}: {node.value.id}.{node.attr}")
    return found


def test_the_private_name_check_itself_catches_a_borrowed_name():
    hits = _borrowed_private_names("from app.services.common.errors import _hidden\n"
                                   "from app.services.common import errors as e\nx = e._other\n"
                                   "from app.services.common.errors import ServiceError\n",
                                   "app.services._architecture_probe")
    assert hits == ["app.services._architecture_probe: from app.services.common.errors import _hidden",
                    "app.services._architecture_probe: e._other"]


def test_no_module_of_app_or_of_the_tests_borrows_a_private_name_of_another():
    borrowed = []
    for path in sorted([*APP.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        if "migrations" not in path.parts:
            borrowed += _borrowed_private_names(path.read_text(encoding="utf-8"), _module_name(path))
    assert borrowed == []


def test_no_folder_of_app_holds_more_than_a_handful_of_modules():
    crowded = {}
    for folder in [APP, *[p for p in APP.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MODULES_PER_FOLDER and "migrations" not in folder.parts:
            crowded[str(folder.relative_to(ROOT))] = len(modules)
    assert crowded == {}


def test_the_benchmarks_import_only_names_the_app_still_has():
    """bench/ is not run by ./test; a renamed function must not leave a benchmark that cannot start."""
    import importlib

    missing = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            missing.append(f"{path.name}: from {node.module} import {alias.name}")
    assert missing == []


def test_the_tests_of_services_and_of_the_gui_sit_in_folders_named_after_the_feature_packages():
    strays = []
    for layer in ("services", "ui"):
        for folder in sorted((ROOT / "tests" / layer).iterdir()):
            if folder.is_dir() and folder.name != "__pycache__" and not (APP / layer / folder.name).is_dir():
                strays.append(f"tests/{layer}/{folder.name}")
        strays += [f"tests/{layer}/{f.name}" for f in (ROOT / "tests" / layer).glob("test_*.py")]
    assert strays == []
