"""Texts the console and gateway push for follow-up and handoff, read from the Rasa domain
(bot/domain/followup.yml): one place per sentence, none in Python.

A response is kept as Rasa would send it (text + buttons); ``format`` fills the
placeholders in the text and in button payloads (``{{ }}`` are literal braces), and
``to_line`` maps it to LINE messages with quick replies (postback actions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linebot.v3.messaging import Message

from cases.domain_texts import Wording, wording_of
from gateway.outgoing import to_line_messages

ASK_SOLVED_KEY = "utter_feedback_ask_solved"
HANDOFF_RECEIVED_KEY = "utter_handoff_received"
OFFICER_MESSAGE_KEY = "utter_handoff_officer_message"
BOT_BACK_KEY = "utter_handoff_bot_back"


@dataclass(frozen=True)
class Template:
    text: str
    buttons: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def format(self, **values: str) -> dict[str, Any]:
        """A Rasa-style message with the values filled in (str.format, as Rasa does)."""
        return {
            "text": self.text.format(**values).strip(),
            "buttons": [{"title": b["title"], "payload": b["payload"].format(**values)} for b in self.buttons],
        }

    def to_line(self, **values: str) -> list[Message]:
        return to_line_messages([self.format(**values)])


@dataclass(frozen=True)
class FollowupTexts:
    """Each is None when the domain lacks it (then nothing is pushed for it)."""

    ask_solved: Template | None = None
    handoff_received: Template | None = None
    officer_message: Template | None = None
    bot_back: Template | None = None


def _template(wording: Wording, key: str) -> Template | None:
    found = wording.response(key, required=False)
    return Template(found.text, found.buttons) if found else None


def load_followup_texts(domain: Wording | str | Path) -> FollowupTexts:
    """The follow-up and handoff texts; each is optional (nothing is pushed without it)."""
    wording = wording_of(domain)
    return FollowupTexts(
        ask_solved=_template(wording, ASK_SOLVED_KEY),
        handoff_received=_template(wording, HANDOFF_RECEIVED_KEY),
        officer_message=_template(wording, OFFICER_MESSAGE_KEY),
        bot_back=_template(wording, BOT_BACK_KEY),
    )
