"""Handle turns: ask Rasa, map the answer, deliver it to LINE (reply, else push)."""

import logging
from dataclasses import dataclass, field

from linebot.v3.messaging import Message
from linebot.v3.messaging.exceptions import ApiException

from gateway.evidence import EvidenceIntake
from gateway.group_privacy import withhold_in_group
from gateway.handoff_gate import HandoffGate
from gateway.line_client import LineClient, request_id
from gateway.outgoing import text_messages, to_line_messages
from gateway.pseudonym import pseudonymise
from gateway.rasa_client import RasaClient, RasaMessage, RasaUnavailableError
from gateway.rasa_pool import RasaPool
from gateway.responses import FallbackTexts
from gateway.turns import FULL_TEXT_METADATA_KEY, Turn, TurnKind
from gateway.user_locks import UserLocks

logger = logging.getLogger(__name__)


@dataclass
class LineGateway:
    """Answers one stored turn (see intake.py); lives on ``app.state.line_gateway``."""

    rasa: RasaClient | RasaPool
    line: LineClient
    texts: FallbackTexts
    locks: UserLocks = field(default_factory=UserLocks)
    handoff: HandoffGate | None = None  # open handoff: messages go to the officer
    evidence: EvidenceIntake | None = None  # image messages: stored before Rasa hears of them

    def _fallback(self, turn: Turn) -> list[Message]:
        """The domain's text for a turn that does not go to Rasa (sticker, empty message)."""
        if turn.kind is TurnKind.UNSUPPORTED:
            return text_messages(self.texts.unsupported_message)
        return text_messages(self.texts.empty_message or "")

    async def process(self, turn: Turn, *, busy_notified: bool) -> bool:
        """Handle one stored turn for the intake worker; False means "try again later".

        When Rasa cannot be reached the citizen gets the polite system-busy text once
        (not on every retry), and the event stays queued until Rasa is back.
        """
        who = pseudonymise(turn.user_id)
        async with self.locks.hold(turn.user_id):
            if self.handoff is not None and (absorbed := await self.handoff.absorb(turn)):
                if absorbed.reply is not None:
                    await self._deliver(turn, absorbed.reply.to_line())
                return True
            if turn.kind is not TurnKind.TO_RASA:
                messages = self._fallback(turn)
                if messages:
                    await self._deliver(turn, messages)
                return True
            if turn.image_message_id is not None:  # a photo: store it first (evidence.py)
                if self.evidence is None:
                    await self._deliver(turn, text_messages(self.texts.unsupported_message))
                    return True
                if (answer := await self.evidence.receive(turn)) is not None:
                    await self._deliver(turn, text_messages(answer))
                    return True
            await self.line.show_loading(turn.user_id)
            try:
                rasa_messages = await self._ask_rasa(turn)
            except RasaUnavailableError as exc:
                logger.error("rasa unavailable for %s: %s; the event waits", who, exc)
                if not busy_notified:
                    await self._deliver(turn, text_messages(self.texts.system_busy))
                return False
            messages = self.line_messages(turn, rasa_messages)
            if messages:
                await self._deliver(turn, messages)
            return True

    async def _ask_rasa(self, turn: Turn) -> list[RasaMessage]:
        if turn.full_text is None:
            return await self.rasa.send(turn.user_id, turn.text)
        # Too long for the NLU: Rasa reads the prefix; the whole text rides along for the ticket.
        logger.info(
            "message of %d chars from %s cut to %d for the NLU",
            len(turn.full_text),
            pseudonymise(turn.user_id),
            len(turn.text),
        )
        return await self.rasa.send(turn.user_id, turn.text, {FULL_TEXT_METADATA_KEY: turn.full_text})

    def line_messages(self, turn: Turn, rasa_messages: list[RasaMessage]) -> list[Message]:
        """Rasa's answer to ``turn`` as at most 5 LINE messages.

        A text cut for the NLU gets the long-message notice first (once per cut message).
        """
        notice: list[RasaMessage] = (
            [{"text": self.texts.long_message}] if turn.was_cut and self.texts.long_message else []
        )
        group_notice = self._group_notice(turn)
        if turn.in_group and self.texts.private_in_group:  # no complaint list or status in a group
            rasa_messages = [
                dict(m)
                for m in withhold_in_group(rasa_messages, self.texts.private_prefixes, self.texts.private_in_group)
            ]
        messages = to_line_messages([*notice, *rasa_messages], group_notice=group_notice)
        if len(messages) == len(notice) and self.texts.no_answer:  # Rasa said nothing
            # Never silence: a dialogue gap (e.g. a model older than the domain) gets a polite line.
            logger.warning("rasa answered %s with nothing; sending the no-answer text", pseudonymise(turn.user_id))
            messages = to_line_messages([*notice, {"text": self.texts.no_answer}], group_notice=group_notice)
        return messages

    def _group_notice(self, turn: Turn) -> str | None:
        """In a LINE group or room, complaint summaries are replaced (no details echoed)."""
        return (self.texts.summary_in_group or "") if turn.in_group else None

    async def _deliver(self, turn: Turn, messages: list[Message]) -> None:
        who = pseudonymise(turn.user_id)
        if turn.reply_token:
            try:
                await self.line.reply(turn.reply_token, messages)
                logger.info("replied %d messages to %s", len(messages), who)
                return
            except ApiException as exc:
                logger.warning(
                    "reply to %s failed: HTTP %s (x-line-request-id=%s); pushing instead",
                    who,
                    exc.status,
                    request_id(exc),
                )
        try:
            await self.line.push(turn.user_id, messages)
            logger.info("pushed %d messages to %s", len(messages), who)
        except ApiException as exc:
            logger.error(
                "push to %s failed: HTTP %s (x-line-request-id=%s)",
                who,
                exc.status,
                request_id(exc),
            )

    async def close(self) -> None:
        await self.rasa.close()
        await self.line.close()
