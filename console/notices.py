"""Citizen-facing notice wording, from the Rasa domain's responses (one place per sentence)."""

from dataclasses import dataclass
from pathlib import Path

from cases.domain_texts import DomainReadError, read_responses

from cases.taxonomy import STATE_NAMES_TH, TicketState
from gateway.responses import DomainResponsesError

STATE_CHANGED_KEY = "utter_notify_state_changed"
REPLY_KEY = "utter_notify_reply"


@dataclass(frozen=True)
class NoticeTexts:
    state_changed: str
    reply: str

    def for_state(self, *, tracking_number: str, state: str, note: str | None) -> str:
        text = self.state_changed.format(
            tracking_number=tracking_number,
            state=STATE_NAMES_TH[TicketState(state)],
            note=(note or "").strip(),
        )
        return text.strip()

    def for_reply(self, *, tracking_number: str, text: str) -> str:
        return self.reply.format(tracking_number=tracking_number, text=text.strip()).strip()


def load_notice_texts(domain_path: str | Path) -> NoticeTexts:
    path = Path(domain_path)
    try:
        responses = read_responses(path)
        return NoticeTexts(
            state_changed=responses[STATE_CHANGED_KEY][0]["text"],
            reply=responses[REPLY_KEY][0]["text"],
        )
    except (DomainReadError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise DomainResponsesError(f"{path}: notice responses missing: {exc}") from exc
