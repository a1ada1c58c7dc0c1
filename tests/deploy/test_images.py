"""Images that start: each Dockerfile's COPY lines are laid out in an empty folder, and every
module docker-compose starts from that image is imported from there alone, with the Python of
the environment the image installs (the app lock or the Rasa lock). A module the image does
not copy fails here with ModuleNotFoundError, as it would in production."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BUILT_BY_MAKE = {"models/idee.tar.gz"}  # a build artefact (`make train`), not source

APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"


def copy_lines(dockerfile: Path) -> list[tuple[str, str]]:
    """(source, destination) of each COPY line; destinations are relative to WORKDIR."""
    pairs = []
    for line in dockerfile.read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            *sources, destination = words[1:]
            pairs.extend((source, destination) for source in sources)
    return pairs


def lay_out(dockerfile: Path, into: Path) -> Path:
    """What `docker build` puts in WORKDIR: only the COPY sources, at their destinations."""
    for source, destination in copy_lines(dockerfile):
        if source in BUILT_BY_MAKE:
            continue
        origin = ROOT / source
        target = into / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, target)
    return into


def import_in(folder: Path, python: Path, modules: list[str], packages: tuple[str, ...] | list[str] = ()) -> None:
    """Import `modules` and every module of `packages` with `python`, seeing only `folder`."""
    if not python.exists():
        pytest.fail(f"{python} is missing: run `make setup`")
    script = textwrap.dedent(
        """
        import importlib, pathlib, pkgutil, sys, warnings
        warnings.simplefilter("ignore")
        modules, packages = sys.argv[1].split(), sys.argv[2].split()
        for package in packages:
            root = importlib.import_module(package)
            modules += [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
        for name in modules:
            importlib.import_module(name)
            module = sys.modules[name]
            ours = (pathlib.Path(sys.argv[3]) / name.split(".")[0]).exists()
            assert not ours or module.__file__.startswith(sys.argv[3]), (name, module.__file__)
        print("imported", len(modules))
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.update(
        PYTHONPATH=str(folder), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3", PYTHONDONTWRITEBYTECODE="1"
    )
    done = subprocess.run(
        [str(python), "-c", script, " ".join(modules), " ".join(packages), str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("imported")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def started_modules(image: str) -> list[str]:
    """The `python -m X` and `uvicorn X:factory` modules compose starts from `image`."""
    modules = []
    for service in compose()["services"].values():
        if service.get("image") != image:
            continue
        command = service.get("command") or []
        if "-m" in command:
            module = command[command.index("-m") + 1]
            if module == "uvicorn":
                module = next(word.split(":")[0] for word in command if ":" in word and "." in word)
            modules.append(module)
        if "--actions" in command:
            modules.append(command[command.index("--actions") + 1])
    return sorted(set(modules))


def test_compose_starts_the_modules_this_test_imports():
    app = started_modules("idee-app")
    # The action server is rasa_sdk behind its token check (web.security.action_server).
    assert {"web.app", "gateway.worker", "cases.migrate", "web.security.action_server", "actions"} <= set(app), app


def test_the_layout_takes_only_what_the_dockerfile_copies(tmp_path):
    folder = lay_out(DEPLOY / "Dockerfile.app", tmp_path)
    assert (folder / "cases" / "migrate.py").is_file()
    assert not (folder / "tests").exists() and not (folder / "data").exists()


def test_the_app_image_imports_every_module_compose_starts(tmp_path):
    folder = lay_out(DEPLOY / "Dockerfile.app", tmp_path)
    # The action server (rasa_sdk) loads every module of the actions package; every module of the packages the
    # image holds is imported too, so that a late import cannot hide a missing one.
    import_in(
        folder,
        APP_PYTHON,
        started_modules("idee-app"),
        packages=["actions", "web", "gateway", "console", "cases", "settings"],
    )


def test_the_rasa_image_imports_the_custom_components_of_the_pipeline(tmp_path):
    folder = lay_out(DEPLOY / "Dockerfile.rasa", tmp_path)
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    custom = [c["name"] for c in config["pipeline"] + config.get("policies", []) if "." in c["name"]]
    assert custom, "config.yml names our NLU components"
    modules = sorted({name.rsplit(".", 1)[0] for name in custom})
    import_in(folder, RASA_PYTHON, modules + ["rasa", "rasa_server.action_response"], packages=["nlu", "rasa_server"])


def test_a_missing_package_fails_the_import_check(tmp_path):
    """The check can fail: the app layout without cases/ cannot start the migrations."""
    folder = lay_out(DEPLOY / "Dockerfile.app", tmp_path)
    shutil.rmtree(folder / "cases")
    with pytest.raises(AssertionError, match="No module named 'cases'"):
        import_in(folder, APP_PYTHON, ["cases.migrate"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


TEST_TOOLS = {"pytest", "playwright", "schemathesis", "hypothesis", "ruff", "mypy", "import-linter", "pip-tools"}


def lock_pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    return {m[0].lower().replace("_", "-"): m[1] for m in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_an_image_installs_only_its_hashed_run_lock(image):
    dockerfile = (DEPLOY / f"Dockerfile.{image}").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs == [f"RUN pip install --no-cache-dir --require-hashes -r requirements/{image}.lock"]
    assert [
        source for source, _ in copy_lines(DEPLOY / f"Dockerfile.{image}") if source.startswith("requirements")
    ] == [f"requirements/{image}.lock"]
    lock = (ROOT / "requirements" / f"{image}.lock").read_text()
    assert lock.count("--hash=sha256:") >= len(lock_pins(f"{image}.lock"))
    assert not TEST_TOOLS & set(lock_pins(f"{image}.lock")), "test tools in a production lock"


@pytest.mark.parametrize("image", ["app", "rasa"])
def test_the_test_lock_holds_the_run_lock_at_the_same_versions(image):
    run, test = lock_pins(f"{image}.lock"), lock_pins(f"{image}-test.lock")
    assert {name: test.get(name) for name in run} == run
    assert {"pytest", "hypothesis"} <= set(test)
