"""While a citizen is handed to an officer, their LINE messages go to the officer, not Rasa.

``LineGateway.process`` asks ``HandoffGate.absorb`` first: with an open handoff the
message is stored for the officer (the console shows it), the citizen hears one
acknowledgement, and Rasa never sees it. "/end_handoff" (the quick reply) hands the
citizen back to the bot. ``run_sweeper`` closes handoffs without officer activity for
``HANDOFF_TIMEOUT_MINUTES`` and tells the citizen the bot is back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from cases.handoff import (
    CloseReason,
    add_citizen_message,
    close_handoff,
    expire_handoffs,
    open_handoff_for,
)
from cases.domain_texts import Wording
from gateway.followup_texts import FollowupTexts, Template, load_followup_texts
from gateway.line_client import LineClient
from gateway.pseudonym import pseudonymise
from gateway.turns import LOCATION_INTENT, Turn, TurnKind
from gateway.notifications import notify_citizen
from settings import HandoffSettings

logger = logging.getLogger(__name__)

END_HANDOFF_PAYLOAD = "/end_handoff"
# Officer-facing labels for what is not plain text (the console shows these).
PHOTO_LABEL = "[ผู้ร้องส่งรูปภาพ]"
LOCATION_LABEL = "[ตำแหน่งที่ตั้ง]"


def officer_view(turn: Turn) -> str:
    """Pure: the text an officer reads for a turn (a photo or a LINE location is labelled)."""
    if getattr(turn, "image_message_id", None):
        return PHOTO_LABEL
    if turn.text.startswith(LOCATION_INTENT + "{"):
        try:
            place = json.loads(turn.text[len(LOCATION_INTENT) :])
        except ValueError:
            return turn.text
        parts = [f"{place.get('latitude')}, {place.get('longitude')}", str(place.get("address") or "")]
        return " ".join([LOCATION_LABEL, *[p for p in parts if p.strip()]])
    return turn.text


@dataclass(frozen=True)
class Absorbed:
    """What the gateway says back for an absorbed message (possibly nothing)."""

    reply: Template | None


@dataclass
class HandoffGate:
    sessions: sessionmaker[Session]
    line: LineClient
    texts: FollowupTexts
    settings: HandoffSettings

    @property
    def timeout(self) -> timedelta:
        return timedelta(minutes=self.settings.timeout_minutes)

    async def absorb(self, turn: Turn) -> Absorbed | None:
        """None: no open handoff, the turn goes to Rasa as usual."""
        if turn.kind is not TurnKind.TO_RASA:
            return None
        return await asyncio.to_thread(self._absorb, turn)

    def _absorb(self, turn: Turn) -> Absorbed | None:
        with self.sessions.begin() as session:
            handoff = open_handoff_for(session, line_user_id=turn.user_id)
            if handoff is None:
                return None
            if turn.text.strip() == END_HANDOFF_PAYLOAD:
                close_handoff(session, handoff=handoff, reason=CloseReason.CITIZEN)
                logger.info("handoff %s ended by %s", handoff.id, pseudonymise(turn.user_id))
                return Absorbed(self.texts.bot_back)
            first = add_citizen_message(session, handoff=handoff, text=officer_view(turn))
            # Never the message itself in a log line (it may hold names, phones, places).
            logger.info(
                "handoff %s: kept a message from %s for the officer (%d chars)",
                handoff.id,
                pseudonymise(turn.user_id),
                len(turn.text),
            )
            return Absorbed(self.texts.handoff_received if first else None)

    async def sweep(self) -> int:
        """Close expired handoffs and tell each citizen the bot is back; how many closed."""
        users = await asyncio.to_thread(self._expire)
        for user_id in users:
            logger.info("handoff for %s timed out; the bot is back", pseudonymise(user_id))
            if self.texts.bot_back is not None:
                text = self.texts.bot_back.format()["text"]
                await notify_citizen(self.line, line_user_id=user_id, text=text)
        return len(users)

    def _expire(self) -> list[str]:
        with self.sessions.begin() as session:
            return expire_handoffs(session, timeout=self.timeout)

    async def run_sweeper(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:  # the database blinked: try again next round, never die
                logger.exception("handoff sweeper failed; retrying")
            await asyncio.sleep(self.settings.sweep_seconds)


def attach_handoff_gate(
    gateway, *, sessions: sessionmaker[Session], wording: Wording, settings: HandoffSettings
) -> asyncio.Task:
    """Give ``gateway`` (a LineGateway) its handoff gate and start the timeout sweeper.

    Cancel the returned task at shutdown.
    """
    gate = HandoffGate(sessions, gateway.line, load_followup_texts(wording), settings)
    gateway.handoff = gate
    return asyncio.create_task(gate.run_sweeper(), name="handoff-sweeper")
