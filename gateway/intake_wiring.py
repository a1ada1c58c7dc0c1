"""Chooses the intake mode from the intake settings: in-process (no broker) or broker + workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from gateway.intake import IntakeWorker
from gateway.service import LineGateway
from settings import IntakeSettings


def build_intake(*, sessions: sessionmaker[Session], gateway: LineGateway, settings: IntakeSettings) -> IntakeWorker:
    publisher = None
    if settings.uses_broker:
        from gateway.broker import IntakeQueue  # only with a broker configured

        publisher = IntakeQueue(
            settings.broker_url,
            queue_name=settings.queue_name,
            retry_after=settings.broker_retry_seconds,
        )
    return IntakeWorker(
        sessions=sessions,
        gateway=gateway,
        max_attempts=settings.max_attempts,
        lease=timedelta(seconds=settings.lease_seconds),
        publisher=publisher,
    )
