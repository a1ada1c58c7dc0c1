"""Chooses the intake mode from IntakeSettings: in-process (no broker) or broker + workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from gateway.intake import IntakeWorker
from gateway.intake_settings import IntakeSettings
from gateway.service import LineGateway


def build_intake(
    *, sessions: sessionmaker[Session], gateway: LineGateway, settings: IntakeSettings | None = None
) -> IntakeWorker:
    settings = settings or IntakeSettings()
    publisher = None
    if settings.uses_broker:
        from gateway.broker import IntakeQueue  # only with a broker configured

        publisher = IntakeQueue(
            settings.INTAKE_BROKER_URL,
            queue_name=settings.INTAKE_QUEUE_NAME,
            retry_after=settings.INTAKE_BROKER_RETRY_SECONDS,
        )
    return IntakeWorker(
        sessions=sessions,
        gateway=gateway,
        max_attempts=settings.INTAKE_MAX_ATTEMPTS,
        lease=timedelta(seconds=settings.INTAKE_LEASE_SECONDS),
        publisher=publisher,
    )
