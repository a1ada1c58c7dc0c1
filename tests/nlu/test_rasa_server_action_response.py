"""rasa_server/action_response.py: Rasa's check of the action server's answers, with one
validator, gives the verdicts and errors of ``jsonschema.validate`` without re-checking the
schema on every call. Runs in the Rasa environment (make test-nlu)."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate, validators
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from rasa_server.action_response import install

ANSWERS = [
    {"events": [{"event": "slot", "name": "province", "value": "ชลบุรี"}], "responses": [{"text": "ค่ะ"}]},
    {"events": [], "responses": []},
    {},
    {"events": [{"name": "province"}]},  # an event without its type
    {"events": "slot"},  # not a list
    {"events": [{"event": 3}]},
]


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    install()
    return RemoteAction("action_submit_complaint", EndpointConfig("http://127.0.0.1:1/webhook"))


@pytest.mark.parametrize("answer", ANSWERS)
def test_same_verdict_and_error_as_jsonschema_validate(action, answer):
    schema = RemoteAction.action_response_format_spec()
    try:
        validate(answer, schema)
        expected = None
    except ValidationError as error:
        expected = error.message
    if expected is None:
        assert action._validate_action_result(answer) is True
    else:
        with pytest.raises(ValidationError) as raised:
            action._validate_action_result(answer)
        assert raised.value.message.startswith(expected + ". Failed to validate Action server response")


def test_the_schema_is_not_checked_again_per_answer(action, monkeypatch):
    checked = []
    schema_class = validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(schema_class, "check_schema", classmethod(lambda cls, schema, **kw: checked.append(schema)))
    for _ in range(3):
        action._validate_action_result(ANSWERS[0])
    assert checked == []
    validate(ANSWERS[0], RemoteAction.action_response_format_spec())  # the library's validate() does check it
    assert len(checked) == 1
