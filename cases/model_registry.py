"""The NLU model registry: which model served citizens when (migration 0010).

A row per deployment (``NluModelDeployment``), written by ``training.hot_swap`` when the
running Rasa server has loaded a model; the latest row is the live model. Tickets carry
Rasa's ``model_id`` (``Ticket.nlu_model_version``); ``version_names`` turns it into the
``idee-<date>-<datahash8>`` version a trainer recognises.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.models import NluModelDeployment


def live_deployment(session: Session) -> NluModelDeployment | None:
    return session.scalars(select(NluModelDeployment).order_by(NluModelDeployment.id.desc()).limit(1)).first()


def record_deployment(
    session: Session,
    *,
    model_id: str,
    version: str,
    model_file: str,
    deployed_by: str,
    data_hash: str | None = None,
    gate_verdict: str | None = None,
    macro_f1: float | None = None,
    note: str | None = None,
) -> NluModelDeployment:
    previous = live_deployment(session)
    row = NluModelDeployment(
        model_id=model_id,
        version=version,
        model_file=model_file,
        deployed_by=deployed_by,
        data_hash=data_hash,
        gate_verdict=gate_verdict,
        macro_f1=macro_f1,
        note=note,
        previous_model_id=previous.model_id if previous else None,
    )
    session.add(row)
    session.flush()
    return row


def rollback_target(session: Session) -> NluModelDeployment | None:
    """The most recent deployment of a model other than the live one (None: nothing to go back to)."""
    live = live_deployment(session)
    if live is None:
        return None
    return session.scalars(
        select(NluModelDeployment)
        .where(NluModelDeployment.model_id != live.model_id)
        .order_by(NluModelDeployment.id.desc())
        .limit(1)
    ).first()


def version_names(session: Session, model_ids: Iterable[str | None]) -> dict[str, str]:
    """model_id -> version name for the ids that were ever deployed."""
    wanted = {m for m in model_ids if m}
    if not wanted:
        return {}
    rows = session.execute(
        select(NluModelDeployment.model_id, NluModelDeployment.version)
        .where(NluModelDeployment.model_id.in_(wanted))
        .order_by(NluModelDeployment.id)
    )
    return {model_id: version for model_id, version in rows}


def history(session: Session, limit: int = 20) -> list[NluModelDeployment]:
    return list(session.scalars(select(NluModelDeployment).order_by(NluModelDeployment.id.desc()).limit(limit)))
