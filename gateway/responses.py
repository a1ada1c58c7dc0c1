"""Citizen-facing fallback texts, read from the Rasa domain's ``responses:`` section."""

from dataclasses import dataclass
from pathlib import Path

from cases.domain_texts import DomainReadError, read_responses
from gateway.group_privacy import PRIVATE_IN_GROUP_KEY, private_prefixes

UNSUPPORTED_MESSAGE_KEY = "utter_unsupported_message"
SYSTEM_BUSY_KEY = "utter_system_busy"
EMPTY_MESSAGE_KEY = "utter_empty_message"  # optional
NO_ANSWER_KEY = "utter_no_answer"  # optional: Rasa answered a turn with nothing
SUMMARY_IN_GROUP_KEY = "utter_summary_in_group"  # optional
LONG_MESSAGE_KEY = "utter_long_message_cut"  # optional: the NLU read only the start of a message


class DomainResponsesError(Exception):
    """The domain file is missing or lacks a response the gateway needs."""


@dataclass(frozen=True)
class FallbackTexts:
    unsupported_message: str
    system_busy: str
    empty_message: str | None = None
    no_answer: str | None = None
    # Said in LINE group chats instead of a complaint summary (privacy).
    summary_in_group: str | None = None
    # Said once, before the answer, when a message was too long for the NLU (turns.py).
    long_message: str | None = None
    # In a group: said instead of a citizen's complaint list or a case's status (group_privacy.py).
    private_in_group: str | None = None
    private_prefixes: tuple[str, ...] = ()


def _first_text(responses: dict, key: str, path: Path) -> str:
    try:
        text = responses[key][0]["text"]
    except (KeyError, IndexError, TypeError) as exc:
        raise DomainResponsesError(f"{path}: responses.{key}[0].text is missing") from exc
    if not isinstance(text, str) or not text.strip():
        raise DomainResponsesError(f"{path}: responses.{key}[0].text is empty")
    return text


def load_fallback_texts(domain_path: str | Path) -> FallbackTexts:
    """Read the gateway's fallback texts from the Rasa domain (a file or a folder)."""
    path = Path(domain_path)
    try:
        responses = read_responses(path)
    except DomainReadError as exc:
        raise DomainResponsesError(str(exc)) from exc
    return FallbackTexts(
        unsupported_message=_first_text(responses, UNSUPPORTED_MESSAGE_KEY, path),
        system_busy=_first_text(responses, SYSTEM_BUSY_KEY, path),
        empty_message=(_first_text(responses, EMPTY_MESSAGE_KEY, path) if EMPTY_MESSAGE_KEY in responses else None),
        no_answer=(_first_text(responses, NO_ANSWER_KEY, path) if NO_ANSWER_KEY in responses else None),
        summary_in_group=(
            _first_text(responses, SUMMARY_IN_GROUP_KEY, path) if SUMMARY_IN_GROUP_KEY in responses else None
        ),
        long_message=(_first_text(responses, LONG_MESSAGE_KEY, path) if LONG_MESSAGE_KEY in responses else None),
        private_in_group=(
            _first_text(responses, PRIVATE_IN_GROUP_KEY, path) if PRIVATE_IN_GROUP_KEY in responses else None
        ),
        private_prefixes=private_prefixes(responses),
    )
