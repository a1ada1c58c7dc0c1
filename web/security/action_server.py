"""The action server, accepting only the Rasa servers: ``python -m web.security.action_server
--actions actions --port 5055`` (the arguments of ``python -m rasa_sdk``).

Rasa calls the action server with ``?token=<ACTION_SERVER_TOKEN>`` (the token is part of
``ACTION_ENDPOINT_URL``); a ``POST /webhook`` without it is refused with 403 before any
action runs. A shared secret rather than only a network rule: the action server trusts
the tracker it is sent (it files tickets in the citizen's name and reads their tickets),
and a secret keeps holding when a network rule is loosened, or when another process
shares the host or the container network. ``/health`` stays open (it tells nothing).
The server listens on ``SANIC_HOST`` (rasa_sdk's own setting; 127.0.0.1 under ``make run``).
"""

from __future__ import annotations

import hmac
import sys
from typing import Any

from settings import get_settings

OPEN_PATHS = frozenset({"/health"})


class MissingTokenError(RuntimeError):
    pass


def token_accepted(sent: str | None, expected: str) -> bool:
    return bool(expected) and sent is not None and hmac.compare_digest(sent.encode(), expected.encode())


def install_token_check(app: Any, token: str) -> None:
    """A Sanic request middleware: every path but /health needs the token."""
    from sanic import response

    @app.middleware("request")
    async def require_token(request):
        if request.path in OPEN_PATHS:
            return None
        if not token_accepted(request.args.get("token"), token):
            return response.json({"error": "forbidden"}, status=403)
        return None


def main(argv: list[str]) -> None:
    token = get_settings().security.action_server_token
    if not token:
        raise MissingTokenError(
            "ACTION_SERVER_TOKEN is not set: the action server accepts only the Rasa servers, "
            "which send it (ACTION_ENDPOINT_URL=...?token=...)"
        )
    import rasa_sdk.__main__ as sdk_main
    import rasa_sdk.endpoint as endpoint

    create_app = endpoint.create_app

    def create_guarded_app(*args, **kwargs):
        app = create_app(*args, **kwargs)
        install_token_check(app, token)
        return app

    endpoint.create_app = create_guarded_app  # rasa_sdk.endpoint.run builds its app with it
    sdk_main.main_from_args(endpoint.create_argument_parser().parse_args(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
