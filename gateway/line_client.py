"""Thin wrapper over line-bot-sdk's AsyncMessagingApi."""

import logging
import uuid

from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    Message,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.exceptions import ApiException

from gateway.pseudonym import pseudonymise

logger = logging.getLogger(__name__)


class LineClient:
    """Reply/push to LINE. Create it inside a running event loop (e.g. a lifespan)."""

    def __init__(self, *, access_token: str, api_base_url: str) -> None:
        configuration = Configuration(host=api_base_url.rstrip("/"), access_token=access_token)
        self._api_client = AsyncApiClient(configuration)
        self._api = AsyncMessagingApi(self._api_client)

    async def reply(self, reply_token: str, messages: list[Message]) -> None:
        """Reply with up to 5 messages; raises ApiException (e.g. invalid reply token)."""
        request = ReplyMessageRequest(reply_token=reply_token, messages=messages)
        await self._api.reply_message(request)

    async def push(self, user_id: str, messages: list[Message]) -> None:
        """Push up to 5 messages to a user; raises ApiException."""
        request = PushMessageRequest(to=user_id, messages=messages)
        await self._api.push_message(request, x_line_retry_key=str(uuid.uuid4()))

    async def show_loading(self, user_id: str, seconds: int = 20) -> None:
        """Best effort 'typing…' indicator while Rasa thinks; failures are only logged."""
        request = ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=seconds)
        try:
            await self._api.show_loading_animation(request)
        except ApiException as exc:
            logger.info(
                "loading animation failed for %s: HTTP %s (x-line-request-id=%s)",
                pseudonymise(user_id),
                exc.status,
                request_id(exc),
            )

    async def close(self) -> None:
        await self._api_client.close()


def request_id(exc: ApiException) -> str | None:
    """LINE's x-line-request-id of a failed call, for support tickets."""
    headers = exc.headers or {}
    return headers.get("x-line-request-id") or headers.get("X-Line-Request-Id")
