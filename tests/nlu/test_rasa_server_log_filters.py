"""Rasa's interpolator, as the server runs it: a button's entity payload is sent unchanged
and not logged as an error; a placeholder naming no slot is still logged."""

from __future__ import annotations

import logging

import pytest
from rasa.core.nlg.interpolator import interpolate_text
from rasa.utils.log_utils import configure_structlog

from rasa_server import log_filters

PAYLOAD = '/factory_pick{"factory_registration_number": "none"}'


@pytest.fixture
def interpolator_log(caplog):
    configure_structlog(logging.INFO)
    log_filters.install()
    caplog.set_level(logging.INFO, logger=log_filters.INTERPOLATOR_LOGGER)
    yield caplog
    logger = logging.getLogger(log_filters.INTERPOLATOR_LOGGER)
    logger.filters = [f for f in logger.filters if not isinstance(f, log_filters.EntityPayloadFilter)]


def _errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == log_filters.INTERPOLATOR_LOGGER and r.levelno >= logging.ERROR]


def test_an_entity_payload_is_sent_unchanged_without_an_error(interpolator_log):
    assert interpolate_text(PAYLOAD, {"ticket_category": "odor"}) == PAYLOAD
    assert _errors(interpolator_log) == []


def test_a_placeholder_naming_no_slot_is_still_logged(interpolator_log):
    assert interpolate_text("เลขที่เรื่อง {tracking_numbr}", {"tracking_number": "X"}) == "เลขที่เรื่อง {tracking_numbr}"
    assert len(_errors(interpolator_log)) == 1


def test_without_the_filter_rasa_logs_the_payload_as_an_error(caplog):
    configure_structlog(logging.INFO)
    caplog.set_level(logging.INFO, logger=log_filters.INTERPOLATOR_LOGGER)
    interpolate_text(PAYLOAD, {"ticket_category": "odor"})
    assert len(_errors(caplog)) == 1
