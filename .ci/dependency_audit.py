#!/usr/bin/env python3
"""Audit requirements/app.lock and requirements/rasa.lock with pip-audit (CI step).

Exit codes (the CI script decides what each means, see docs/security.md):
  0  audited: no known vulnerability outside the reviewed ignore list (.ci/audit-ignore.txt)
  1  audited: NEW known vulnerabilities (not in the ignore list): fix or review them
  3  NOT audited: pip-audit could not be installed, or its vulnerability service did not
     answer for some packages (an unreachable service makes pip-audit skip every
     package and print "No known vulnerabilities found": that is not an audit)

Only the Python standard library is used here; pip-audit runs in its own venv
(.venv/audit, pinned in .ci/audit-requirements.txt) so it never touches the app's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "app.lock", ROOT / "requirements" / "rasa.lock"]
IGNORE_FILE = ROOT / ".ci" / "audit-ignore.txt"
AUDIT_VENV = ROOT / ".venv" / "audit"
AUDIT_REQUIREMENTS = ROOT / ".ci" / "audit-requirements.txt"
AUDITED, NEW_VULNERABILITIES, NOT_AUDITED = 0, 1, 3
PROBE_REQUIREMENT = "requests==2.32.3"  # a release every vulnerability service knows


def read_ignore_list(path: Path = IGNORE_FILE) -> dict[str, str]:
    """Vulnerability id -> 'package: reason' from the reviewed ignore file."""
    ignored = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise SystemExit(f"{path}: '{line}' needs an id, a package and a reason")
        ignored[parts[0]] = f"{parts[1]}: {parts[2]}"
    return ignored


def classify(report: dict, ignored: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(new findings, ignored findings, skipped packages) of one pip-audit JSON report."""
    new, known, skipped = [], [], []
    for dep in report.get("dependencies", []):
        name, version = dep.get("name"), dep.get("version", "")
        if "skip_reason" in dep:
            skipped.append(f"{name}: {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            ids = [vuln.get("id", "?")] + list(vuln.get("aliases", []))
            line = f"{name} {version}: {', '.join(ids)} (fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release'})"
            (known if any(i in ignored for i in ids) else new).append(line)
    return new, known, skipped


def ensure_pip_audit() -> Path | None:
    python = AUDIT_VENV / "bin" / "python"
    if not python.exists():
        venv.create(AUDIT_VENV, with_pip=True)
    check = subprocess.run([str(python), "-m", "pip_audit", "--version"], capture_output=True, text=True)
    if check.returncode == 0:
        return python
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(AUDIT_REQUIREMENTS)], capture_output=True, text=True
    )
    if install.returncode != 0:
        print(f"cannot install pip-audit:\n{install.stderr[-2000:]}")
        return None
    return python


def audit(python: Path, lock: Path) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        run = subprocess.run(
            [
                str(python),
                "-m",
                "pip_audit",
                "-r",
                str(lock),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--timeout",
                "30",
                "-f",
                "json",
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        if not out.exists():
            print(f"pip-audit failed on {lock} (exit {run.returncode}):\n{run.stderr[-2000:]}")
            return None
        return json.loads(out.read_text())


def service_answers(python: Path) -> bool:
    """One package that surely exists: if the service cannot look it up, it is unreachable."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.txt"
        probe.write_text(PROBE_REQUIREMENT + "\n")
        report = audit(python, probe)
    return bool(report) and not classify(report, {})[2]


def main() -> int:
    ignored = read_ignore_list()
    python = ensure_pip_audit()
    if python is None:
        print("DEPENDENCY AUDIT NOT PERFORMED: pip-audit could not be installed")
        return NOT_AUDITED
    if not service_answers(python):
        print(
            f"DEPENDENCY AUDIT NOT PERFORMED: the vulnerability service (PyPI's JSON API) does not "
            f"answer for {PROBE_REQUIREMENT}; no package was audited"
        )
        return NOT_AUDITED
    result = AUDITED
    for lock in LOCKS:
        report = audit(python, lock)
        if report is None:
            result = max(result, NOT_AUDITED)
            continue
        new, known, skipped = classify(report, ignored)
        total = len(report.get("dependencies", []))
        print(
            f"{lock.relative_to(ROOT)}: {total} packages, {total - len(skipped)} audited, "
            f"{len(skipped)} not audited, {len(known)} reviewed (ignored), {len(new)} NEW"
        )
        for line in new:
            print(f"  NEW  {line}")
        for line in known:
            print(f"  ignored (reviewed)  {line}")
        if skipped:
            for line in skipped[:5]:
                print(f"  not audited  {line}")
            if len(skipped) > 5:
                print(f"  ... and {len(skipped) - 5} more not audited")
        if new:
            result = NEW_VULNERABILITIES  # new findings win over "incomplete"
        elif skipped and result == AUDITED:
            result = NOT_AUDITED
    if result == NOT_AUDITED:
        print(
            "DEPENDENCY AUDIT INCOMPLETE: the vulnerability service did not answer for some packages "
            "(pip-audit says 'No known vulnerabilities found' for packages it could not look up); "
            "this is NOT a clean audit"
        )
    elif result == NEW_VULNERABILITIES:
        print(
            "DEPENDENCY AUDIT FAILED: new known vulnerabilities (fix the pin or review them into .ci/audit-ignore.txt)"
        )
    else:
        print("dependency audit passed: no known vulnerabilities outside the reviewed list")
    return result


if __name__ == "__main__":
    sys.exit(main())
