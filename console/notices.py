"""Citizen-facing notice wording, from the Rasa domain's responses (one place per sentence)."""

from dataclasses import dataclass
from pathlib import Path

from cases.domain_texts import Wording, wording_of

from cases.taxonomy import STATE_NAMES_TH, TicketState

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


def load_notice_texts(domain: Wording | str | Path) -> NoticeTexts:
    """The notices an officer's change sends the citizen: both are required."""
    wording = wording_of(domain)
    return NoticeTexts(state_changed=wording.required_text(STATE_CHANGED_KEY), reply=wording.required_text(REPLY_KEY))
