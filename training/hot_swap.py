"""Hot swap: load a model into the running Rasa server(s) and record it in the registry.

    python -m training.hot_swap deploy models/idee-20261125-1600-5697249f.tar.gz
    python -m training.hot_swap status
    python -m training.hot_swap rollback

Uses Rasa's HTTP API (`rasa run --enable-api`): ``PUT /model {"model_file": ...}`` loads
the new model and replaces the agent between two messages; ``GET /status`` then reports
the new ``model_id``. Conversations survive the swap when Rasa keeps them in a persistent
tracker store (``tracker_store`` in endpoints.yml): the new agent reads the same store.
With Rasa's default in-memory store a swap forgets every conversation in progress.

A model is deployed only with an accepting verdict from ``training.compare`` for that very
model (``<model>.gate.json``), unless ``--force``. ``RASA_URL`` may name several servers
(comma-separated): each one is swapped, in turn. The model file must be readable by the
Rasa server(s) at the same path (a shared models/ folder).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import httpx

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from settings import RasaSettings, get_settings
from training.compare import gate_record_path
from training.versioning import model_info, parse_version

T = TypeVar("T")


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction on the case database (``DATABASE_URL``)."""
    from cases.db import make_engine, make_session_factory

    engine = make_engine(get_settings().database.sqlalchemy_url)
    try:
        with make_session_factory(engine).begin() as session:
            return work(session)
    finally:
        engine.dispose()


LOAD_TIMEOUT_SECONDS = 600.0  # loading a model takes 10-60 s; far longer on a busy machine


def path_for_rasa(settings: RasaSettings, model: Path) -> str:
    """The model's path as the Rasa server sees it: under ``RASA_MODELS_DIR`` when that is set
    (Rasa in a container sees the models folder elsewhere)."""
    return f"{settings.models_dir.rstrip('/')}/{model.name}" if settings.models_dir else str(model)


class SwapError(Exception):
    """A swap that did not happen, with a message for the trainer."""


@dataclass(frozen=True)
class GateCheck:
    ok: bool
    verdict: str | None
    macro_f1: float | None
    message: str


def check_gate(model: Path, model_id: str | None) -> GateCheck:
    """Was this very model (same model_id) accepted by the compare gate?"""
    path = gate_record_path(model)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return GateCheck(False, None, None, f"no gate verdict ({path.name}): run python -m training.compare first")
    except (OSError, ValueError) as error:
        return GateCheck(False, None, None, f"gate verdict unreadable ({path}): {error}")
    macro_f1 = (record.get("candidate_scores") or {}).get("macro_f1")
    verdict = record.get("verdict")
    if model_id and record.get("candidate_model_id") not in (None, model_id):
        return GateCheck(False, verdict, macro_f1, f"{path.name} is about another model (model_id differs)")
    if not record.get("accepted"):
        return GateCheck(False, verdict, macro_f1, f"the gate refused this model ({verdict})")
    return GateCheck(True, verdict, macro_f1, verdict or "accepted")


def rasa_status(http: httpx.Client, url: str) -> dict:
    response = http.get(f"{url}/status")
    response.raise_for_status()
    return response.json()


def swap_one(http: httpx.Client, url: str, model_file: str, expected_model_id: str | None) -> dict:
    """PUT /model on one server, then check GET /status reports the new model."""
    try:
        response = http.put(f"{url}/model", json={"model_file": model_file}, timeout=LOAD_TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise SwapError(
            f"{url}: Rasa not reachable ({error.__class__.__name__}); is it running with --enable-api?"
        ) from error
    if response.status_code != 204:
        detail = response.text[:300]
        raise SwapError(f"{url}: Rasa refused the model (HTTP {response.status_code}): {detail}")
    status = rasa_status(http, url)
    if expected_model_id and status.get("model_id") != expected_model_id:
        raise SwapError(f"{url}: Rasa reports model_id {status.get('model_id')}, expected {expected_model_id}")
    return status


def _record(
    model_id: str, version: str, model_file: Path, *, gate: GateCheck | None, note: str | None, deployed_by: str
) -> None:
    from cases.model_registry import record_deployment

    parsed = parse_version(version)

    def write(session):
        record_deployment(
            session,
            model_id=model_id,
            version=version,
            model_file=str(model_file),
            data_hash=parsed.data_hash if parsed else None,
            gate_verdict=gate.verdict if gate else None,
            macro_f1=gate.macro_f1 if gate else None,
            deployed_by=deployed_by,
            note=note,
        )

    in_transaction(write)


def deploy(
    model: Path,
    *,
    settings: RasaSettings,
    force: bool = False,
    note: str | None = None,
    deployed_by: str | None = None,
    skip_gate: bool = False,
    record: bool = True,
    transport: httpx.BaseTransport | None = None,
) -> dict:
    """Swap ``model`` into every Rasa server; returns a summary. Raises SwapError."""
    if not model.is_file():
        raise SwapError(f"no model file {model}")
    info = model_info(model)
    if info.model_id is None:
        raise SwapError(f"{model} has no Rasa metadata (model_id): not a Rasa 3 model?")
    gate = None
    if not skip_gate:
        gate = check_gate(info.path, info.model_id)
        if not gate.ok and not force:
            raise SwapError(f"not deployed: {gate.message} (or --force)")
        if not gate.ok:  # a trainer forced a model the gate did not accept: the record says so
            gate = GateCheck(True, "accepted (forced)", gate.macro_f1, gate.message)
    headers = {"Authorization": f"Bearer {settings.auth_token}"} if settings.auth_token else {}
    started = time.monotonic()
    swapped = []
    params = {"token": settings.auth_token} if settings.auth_token else None  # Rasa's --auth-token
    with httpx.Client(timeout=30, headers=headers, params=params, transport=transport) as http:
        for url in settings.urls:
            try:
                before = rasa_status(http, url).get("model_id")
            except httpx.HTTPError as error:
                raise SwapError(f"{url}: Rasa not reachable ({error.__class__.__name__})") from error
            t0 = time.monotonic()
            status = swap_one(http, url, path_for_rasa(settings, info.path), info.model_id)
            swapped.append(
                {
                    "url": url,
                    "before": before,
                    "after": status.get("model_id"),
                    "seconds": round(time.monotonic() - t0, 1),
                }
            )
    if record:
        _record(
            info.model_id, info.version, info.path, gate=gate, note=note, deployed_by=deployed_by or getpass.getuser()
        )
    return {
        "version": info.version,
        "model_id": info.model_id,
        "file": str(info.path),
        "gate": gate.message if gate else "not checked (rollback)",
        "servers": swapped,
        "seconds": round(time.monotonic() - started, 1),
    }


def status(settings: RasaSettings) -> list[dict]:
    from cases.model_registry import live_deployment, version_names

    result = []
    with httpx.Client(timeout=10, params={"token": settings.auth_token} if settings.auth_token else None) as http:
        for url in settings.urls:
            try:
                result.append({"url": url, **rasa_status(http, url)})
            except httpx.HTTPError as error:
                result.append({"url": url, "error": error.__class__.__name__})
    ids = [r.get("model_id") for r in result]

    def names(session):
        live = live_deployment(session)
        return version_names(session, ids), (live.version if live else None)

    known, registered_live = in_transaction(names)
    for r in result:
        r["version"] = known.get(r.get("model_id") or "")
    return result + [{"registry_live": registered_live}]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    deploy_parser = sub.add_parser("deploy", help="load MODEL into the running Rasa server(s)")
    deploy_parser.add_argument("model")
    deploy_parser.add_argument("--force", action="store_true", help="deploy without an accepting gate verdict")
    deploy_parser.add_argument("--note", help="why (kept in the registry)")
    deploy_parser.add_argument("--by", help="who deploys (default: the OS user)")
    sub.add_parser("status", help="the model each Rasa server runs, with its version name")
    rollback_parser = sub.add_parser("rollback", help="put the previously live model back")
    rollback_parser.add_argument("--by", help="who rolls back (default: the OS user)")
    args = parser.parse_args(argv)
    settings = get_settings().rasa
    try:
        if args.command == "status":
            print(json.dumps(status(settings), indent=2, ensure_ascii=False))
            return 0
        if args.command == "rollback":
            from cases.model_registry import rollback_target

            target = in_transaction(lambda s: (lambda r: r.model_file if r else None)(rollback_target(s)))
            if target is None:
                print("error: no earlier model in the registry to roll back to", file=sys.stderr)
                return 1
            print(f"==> rolling back to {target}", flush=True)
            summary = deploy(Path(target), settings=settings, skip_gate=True, note="rollback", deployed_by=args.by)
        else:
            print(f"==> loading {args.model} into {', '.join(settings.urls)} ...", flush=True)
            summary = deploy(Path(args.model), settings=settings, force=args.force, note=args.note, deployed_by=args.by)
    except SwapError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for server in summary["servers"]:
        print(f"    {server['url']}: {server['before']} -> {server['after']} in {server['seconds']}s")
    print(
        f"==> live: {summary['version']} (model_id {summary['model_id']}), gate: {summary['gate']}; "
        f"{summary['seconds']}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
