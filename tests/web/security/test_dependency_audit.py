"""The CI audit step tells an audit from a service that did not answer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / ".ci" / "dependency_audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)  # type: ignore[union-attr]


def _dep(name, vulns=(), skip=None):
    dep = {"name": name, "version": "1.0", "vulns": list(vulns)}
    if skip:
        dep = {"name": name, "skip_reason": skip}
    return dep


def test_new_and_reviewed_findings_are_told_apart():
    report = {
        "dependencies": [
            _dep("a", [{"id": "PYSEC-1", "aliases": ["CVE-1"], "fix_versions": ["1.1"]}]),
            _dep("b", [{"id": "GHSA-x", "aliases": [], "fix_versions": []}]),
            _dep("c"),
        ]
    }
    new, known, skipped = audit.classify(report, {"CVE-1": "a: reviewed"})
    assert [line.split(":")[0] for line in new] == ["b 1.0"]
    assert [line.split(":")[0] for line in known] == ["a 1.0"]
    assert skipped == []


def test_an_unreachable_service_is_not_a_clean_audit():
    report = {"dependencies": [_dep("a", skip="Dependency not found on PyPI and could not be audited: a (1.0)")]}
    new, known, skipped = audit.classify(report, {})
    assert new == [] and known == [] and len(skipped) == 1


def test_the_ignore_list_needs_a_reason_for_each_entry(tmp_path):
    path = tmp_path / "ignore.txt"
    path.write_text("# comment\nGHSA-1 tensorflow pinned by Rasa 3.6; the API is not exposed\n")
    assert audit.read_ignore_list(path) == {"GHSA-1": "tensorflow: pinned by Rasa 3.6; the API is not exposed"}
    path.write_text("GHSA-2 tensorflow\n")
    try:
        audit.read_ignore_list(path)
    except SystemExit as exc:
        assert "needs an id, a package and a reason" in str(exc)
    else:
        raise AssertionError("an entry without a reason was accepted")


def test_the_committed_ignore_list_parses():
    assert isinstance(audit.read_ignore_list(), dict)
