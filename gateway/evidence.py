"""Evidence photos on LINE: download an image message's bytes and store them for the case.

``LineGateway.process`` calls ``EvidenceIntake.receive`` for an image turn before Rasa
hears "/send_photo": the photo is fetched from LINE's content (blob) host with
line-bot-sdk's ``MessagingApiBlob.get_message_content`` and stored by cases.attachments
under the citizen's owner key, pending until the complaint is submitted (or linked at
once by the action when the ticket already exists). A photo that cannot be used gets a
polite answer from the domain and never reaches Rasa.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApiBlob, Configuration
from linebot.v3.messaging.exceptions import ApiException
from sqlalchemy.orm import Session, sessionmaker

from cases.attachments import AttachmentRejected, owner_key, store_attachment
from cases.domain_texts import Wording, wording_of
from gateway.line_client import request_id
from gateway.pseudonym import pseudonymise
from gateway.responses import UNSUPPORTED_MESSAGE_KEY
from gateway.turns import Turn

logger = logging.getLogger(__name__)

PHOTO_REJECTED_KEY = "utter_photo_rejected"  # not a JPEG/PNG, or larger than 10 MB
PHOTO_UNAVAILABLE_KEY = "utter_photo_unavailable"  # LINE no longer has it


class LineContentClient:
    """LINE's content host (``LINE_DATA_API_BASE_URL``); create it inside a running loop."""

    def __init__(self, *, access_token: str, data_api_base_url: str) -> None:
        configuration = Configuration(host=data_api_base_url.rstrip("/"), access_token=access_token)
        self._api_client = AsyncApiClient(configuration)
        self._blob = AsyncMessagingApiBlob(self._api_client)

    async def message_content(self, message_id: str) -> bytes:
        """The bytes of an image (or video/audio) message; raises ApiException."""
        return bytes(await self._blob.get_message_content(message_id))

    async def close(self) -> None:
        await self._api_client.close()


@dataclass(frozen=True)
class EvidenceTexts:
    rejected: str
    unavailable: str


@dataclass
class EvidenceIntake:
    sessions: sessionmaker[Session]
    content: LineContentClient
    texts: EvidenceTexts
    salt: str

    async def receive(self, turn: Turn) -> str | None:
        """Store the turn's photo; None when stored, else the text to answer the citizen.

        LINE's 4xx (content gone) and a rejected file are answered; anything else (network,
        LINE 5xx, database) raises, so the stored event is tried again later.
        """
        assert turn.image_message_id is not None
        who = pseudonymise(turn.user_id)
        try:
            content = await self.content.message_content(turn.image_message_id)
        except ApiException as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                logger.warning(
                    "photo of %s unavailable: HTTP %s (x-line-request-id=%s)",
                    who,
                    exc.status,
                    request_id(exc),
                )
                return self.texts.unavailable
            raise
        try:
            stored = await asyncio.to_thread(self._store, turn, content)
        except AttachmentRejected as rejected:
            logger.info("photo of %s rejected: %s (%d bytes)", who, rejected.reason, len(content))
            return self.texts.rejected
        logger.info("photo %s of %s stored (%d bytes)", stored, who, len(content))
        return None

    def _store(self, turn: Turn, content: bytes) -> int:
        with self.sessions.begin() as session:
            attachment = store_attachment(
                session,
                owner=owner_key(turn.user_id, self.salt),
                content=content,
                line_message_id=turn.image_message_id,
            )
            return attachment.id

    async def close(self) -> None:
        await self.content.close()


def load_evidence_texts(domain: Wording | str | Path) -> EvidenceTexts:
    """The photo answers from the domain; a domain without them falls back to the
    gateway's "unsupported message" text (the gateway then still starts)."""
    wording = wording_of(domain)

    def text(key: str) -> str:
        return wording.text(key, required=False) or wording.required_text(UNSUPPORTED_MESSAGE_KEY)

    return EvidenceTexts(rejected=text(PHOTO_REJECTED_KEY), unavailable=text(PHOTO_UNAVAILABLE_KEY))


def attach_evidence(
    gateway,
    *,
    sessions: sessionmaker[Session],
    access_token: str,
    data_api_base_url: str,
    domain: Wording | str | Path,
    salt: str,
) -> EvidenceIntake:
    """Give the gateway its photo intake (call inside the running event loop)."""
    evidence = EvidenceIntake(
        sessions=sessions,
        content=LineContentClient(access_token=access_token, data_api_base_url=data_api_base_url),
        texts=load_evidence_texts(domain),
        salt=salt,
    )
    gateway.evidence = evidence
    return evidence
