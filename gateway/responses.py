"""Citizen-facing fallback texts, read from the Rasa domain's ``responses:`` section."""

from dataclasses import dataclass
from pathlib import Path

from cases.domain_texts import Wording, wording_of
from gateway.group_privacy import PRIVATE_IN_GROUP_KEY, private_prefixes

UNSUPPORTED_MESSAGE_KEY = "utter_unsupported_message"
SYSTEM_BUSY_KEY = "utter_system_busy"
EMPTY_MESSAGE_KEY = "utter_empty_message"  # optional
NO_ANSWER_KEY = "utter_no_answer"  # optional: Rasa answered a turn with nothing
SUMMARY_IN_GROUP_KEY = "utter_summary_in_group"  # optional
LONG_MESSAGE_KEY = "utter_long_message_cut"  # optional: the NLU read only the start of a message


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


def load_fallback_texts(domain: Wording | str | Path) -> FallbackTexts:
    """The gateway's fallback texts from the Rasa domain (its wording, or its file or folder)."""
    wording = wording_of(domain)
    return FallbackTexts(
        unsupported_message=wording.required_text(UNSUPPORTED_MESSAGE_KEY),
        system_busy=wording.required_text(SYSTEM_BUSY_KEY),
        empty_message=wording.text(EMPTY_MESSAGE_KEY, required=False),
        no_answer=wording.text(NO_ANSWER_KEY, required=False),
        summary_in_group=wording.text(SUMMARY_IN_GROUP_KEY, required=False),
        long_message=wording.text(LONG_MESSAGE_KEY, required=False),
        private_in_group=wording.text(PRIVATE_IN_GROUP_KEY, required=False),
        private_prefixes=private_prefixes(wording),
    )
