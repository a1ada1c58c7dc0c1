"""One settings module: every environment variable is read in settings/ and nowhere else, each
by exactly one field; the sections honour `.env`; nothing is read at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from settings import SECTIONS, Settings, environment_variables, get_settings, variable_names

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = ("cases", "actions", "gateway", "console", "web", "training", "tools", "evaluation", "benchmarks")
# Reads of the environment that are not settings: a process forwarding its environment to the
# processes it starts, and the one-shot password of `make create-admin` (never kept in a
# process-wide object), and the test database's admin URL a benchmark shares with the tests.
NOT_SETTINGS = {
    "benchmarks/ticket_creation.py",
    "tools/processes.py",
    "training/compare.py",
    "benchmarks/nlu_speed.py",
    "cases/accounts_cli.py",
}


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines calling os.getenv / os.environ.get or subscripting os.environ, and BaseSettings classes."""
    lines = []
    for node in ast.walk(tree):
        text = ast.unparse(node) if isinstance(node, (ast.Call, ast.Subscript, ast.ClassDef)) else ""
        if isinstance(node, ast.Call) and text.startswith(("os.getenv(", "os.environ.get(", "getenv(")):
            lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and text.startswith("os.environ["):
            lines.append(node.lineno)
        elif isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "BaseSettings" for b in node.bases):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_settings_reads_the_environment():
    found = []
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in NOT_SETTINGS:
                continue
            found += [f"{name}:{line}" for line in _environment_reads(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_check_finds_a_stray_read():
    tree = ast.parse("import os\nURL = os.environ.get('RASA_URL')\nclass S(BaseSettings):\n    x: int = 1\n")
    assert _environment_reads(tree) == [2, 3]


def test_each_variable_is_read_by_one_field_of_one_section():
    seen: dict[str, str] = {}
    for name, section in SECTIONS.items():
        for variable in variable_names(section):
            assert variable not in seen, f"{variable} read by {seen[variable]} and {name}"
            seen[variable] = name
    assert {"DATABASE_URL", "RASA_URL", "LINE_CHANNEL_SECRET", "IDEE_ENVIRONMENT", "INTAKE_BROKER_URL"} <= set(seen)
    assert set(seen) == environment_variables()


def test_every_section_reads_dotenv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("HANDOFF_SWEEP_SECONDS", raising=False)
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://db/idee\nHANDOFF_SWEEP_SECONDS=7\n")
    settings = Settings()
    assert settings.database.sqlalchemy_url == "postgresql+psycopg://db/idee"
    assert settings.handoff.sweep_seconds == 7


def test_read_once_until_cleared(monkeypatch):
    monkeypatch.setenv("RASA_URL", "http://rasa-one:5005")
    first = get_settings()
    monkeypatch.setenv("RASA_URL", "http://rasa-two:5005")
    assert get_settings() is first and first.rasa.url == "http://rasa-one:5005"
    get_settings.cache_clear()
    assert get_settings().rasa.url == "http://rasa-two:5005"


def test_variables_by_their_environment_names():
    settings = Settings.with_variables(RASA_URL="http://a:5005, http://b:5005", RASA_TOKEN="older-name")
    assert settings.rasa.urls == ["http://a:5005", "http://b:5005"] and settings.rasa.auth_token == "older-name"
    changed = settings.replacing(INTAKE_LEASE_SECONDS="0.5")
    assert changed.intake.lease_seconds == 0.5 and changed.rasa.urls == settings.rasa.urls
    with pytest.raises(ValueError, match="not a setting"):
        Settings.with_variables(RASA_ULR="typo")


def test_importing_the_app_reads_no_setting():
    """No import-time reads: importing every entry point with a broken variable succeeds; the
    error comes when the settings are first read."""
    code = (
        "import web.app, gateway.worker, actions, cases.retention, training.hot_swap, tools.run_stack\n"
        "from settings import get_settings\n"
        "try:\n    get_settings()\nexcept Exception as error:\n    print(type(error).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "INTAKE_WORKER_THREADS": "many", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ValidationError")


def test_only_the_variables_name_is_read_never_the_fields(monkeypatch):
    """``domain.path`` must not pick up the shell's PATH, nor ``database.url`` a stray URL."""
    monkeypatch.delenv("DOMAIN_PATH", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("URL", "postgresql://wrong/db")
    monkeypatch.chdir("/")  # no .env file
    settings = Settings()
    assert settings.domain.path == "bot/domain" and settings.database.url == "sqlite:///var/idee.db"
