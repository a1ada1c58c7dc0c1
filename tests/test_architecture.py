"""The layering of docs/architecture.md, enforced: import-linter's contracts (pyproject.toml,
[tool.importlinter]) on every import statement, function-level ones included, and no
production module reading a file under tests/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PRODUCTION = ("settings", "cases", "nlu", "actions", "gateway", "console", "web", "training")


def lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_import_only_downwards():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_a_layer_reaching_up_breaks_a_contract(tmp_path):
    """The check can fail: cases/ importing web/ inside a function is found and refused."""
    for package in ("cases", "web"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "web" / "app.py").write_text("APP = 1\n")
    (tmp_path / "cases" / "late.py").write_text("def f():\n    from web.app import APP\n    return APP\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    cases\n    web\n\n"
        "[importlinter:contract:down]\nname = cases imports nothing above\ntype = forbidden\n"
        "source_modules =\n    cases\nforbidden_modules =\n    web\n"
    )
    done = lint_imports(tmp_path)
    assert done.returncode != 0 and "cases.late -> web.app" in done.stdout, done.stdout


def _path_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants used as values (docstrings and comments excluded)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def reads_of_tests(source: str) -> list[tuple[int, str]]:
    """Literals that name the tests folder as a path: "tests/...", or "tests" joined with `/`."""
    return [
        (line, text)
        for line, text in _path_literals(ast.parse(source))
        if text == "tests" or text.startswith("tests/") or "/tests/" in text
    ]


def test_production_code_never_reads_tests():
    offenders = []
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, text in reads_of_tests(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert offenders == []


def test_the_tests_folder_check_can_fail():
    assert reads_of_tests('HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"\n') == [(1, "tests")]
    assert reads_of_tests('"""Reads tests/nlu/heldout.yml in the docs only."""\n') == []
    assert reads_of_tests('default = "tests/nlu/heldout.yml"\n') == [(1, "tests/nlu/heldout.yml")]


def test_the_repository_points_nowhere_outside_itself():
    """The domain contract is docs/taxonomy.md: no file links to a folder beside the checkout."""
    # Spelled in parts so that this check does not itself name the folder it looks for.
    outside_markers = ("/".join(("..", "shared", "")), "/".join(("shared", "domain", "")))
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path == Path(__file__) or not path.is_file():
            continue
        if path.suffix not in {".py", ".md", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".txt", ""}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if any(marker in text for marker in outside_markers):
            offenders.append(name)
    assert offenders == []
