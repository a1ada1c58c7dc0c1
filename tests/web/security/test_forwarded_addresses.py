"""The client address the rate limits key on (``scope["client"]``) comes from X-Forwarded-For
only when the request comes from the proxy: uvicorn's proxy-headers middleware with the
trusted address the compose file gives the web app (the old ``*`` let any client choose)."""

import asyncio

import yaml

from tests.deploy.test_compose import COMPOSE, interpolated
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def trusted_hosts() -> str:
    web = yaml.safe_load(interpolated(COMPOSE.read_text()))["services"]["web"]["command"]
    return web[web.index("--forwarded-allow-ips") + 1]


def client_seen(peer: str, forwarded: str | None) -> str:
    seen: dict[str, str] = {}

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        seen["client"] = scope["client"][0]

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "http", "client": (peer, 40000), "headers": headers, "scheme": "http"}
    asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=trusted_hosts())(scope, None, None))  # type: ignore[arg-type]
    return seen["client"]


def test_a_client_cannot_choose_its_address():
    assert client_seen("203.0.113.9", "1.2.3.4") == "203.0.113.9"  # straight to the app: header ignored


def test_the_proxys_word_is_taken():
    proxy = trusted_hosts()
    assert client_seen(proxy, "198.51.100.7") == "198.51.100.7"
    # Even if a proxy appended to a forged header, the address it saw (the last) counts.
    assert client_seen(proxy, "1.2.3.4, 198.51.100.7") == "198.51.100.7"
