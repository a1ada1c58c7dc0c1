"""The gateway's FastAPI application.

Run with ``uvicorn --factory web.app:create_app``. Without LINE credentials
it runs in simulator mode: random channel secret and token, the fake LINE mounted at
``/fake-line``, and the chat page at ``/simulator``.
"""

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from linebot.v3.webhook import WebhookParser

from cases.domain_texts import Wording
from console.api.main import api_router as console_api_router
from console.context import build_console
from console.pages import install_console_pages
from console.session_refresh import install_session_refresh
from gateway.dev.fake_line import create_fake_line_app
from console.open311.routes import router as open311_router
from gateway.intake_wiring import build_intake
from gateway.handoff_gate import attach_handoff_gate
from gateway.evidence import attach_evidence
from gateway.line_client import LineClient
from gateway.rasa_pool import RasaPool
from gateway.responses import load_fallback_texts
from gateway.service import LineGateway
from gateway.webhook import router as webhook_router
from gateway.dev.simulator import SimulatorContext
from gateway.dev.simulator import router as simulator_router
from web.security.install import install_security
from web.security.production import api_docs_urls
from web.server_timing import ServerTimingMiddleware
from settings import Settings, get_settings

logger = logging.getLogger(__name__)

FAKE_LINE_PREFIX = "/fake-line"


class GatewayConfigError(Exception):
    """The settings cannot work (e.g. only one of secret/token set)."""


def _effective_settings(settings: Settings) -> Settings:
    """In simulator mode, invent credentials and point the LINE client at the fake."""
    line = settings.line
    if not line.simulator_mode:
        if not line.channel_secret or not line.channel_access_token:
            raise GatewayConfigError(
                "set both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN, or neither (simulator mode)"
            )
        return settings
    fake_line = settings.web.public_base_url.rstrip("/") + FAKE_LINE_PREFIX
    return settings.replacing(
        LINE_CHANNEL_SECRET=secrets.token_hex(16),
        LINE_CHANNEL_ACCESS_TOKEN=secrets.token_urlsafe(32),
        LINE_API_BASE_URL=fake_line,
        LINE_DATA_API_BASE_URL=fake_line,
    )


def _lifespan(settings: Settings, wording: Wording, simulator_mode: bool):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        texts = load_fallback_texts(wording)
        gateway = LineGateway(
            rasa=RasaPool.from_settings(
                settings.rasa.url,
                settings.rasa.timeout_seconds,
                settings.rasa.actions_health_urls,
                settings.rasa.auth_token,
            ),
            line=LineClient(
                access_token=settings.line.channel_access_token,
                api_base_url=settings.line.api_base_url,
            ),
            texts=texts,
        )
        app.state.line_gateway = gateway
        evidence = attach_evidence(  # photos are downloaded and stored as evidence
            gateway,
            sessions=app.state.console.sessions,
            access_token=settings.line.channel_access_token,
            data_api_base_url=settings.line.data_api_base_url,
            domain=wording,
            salt=settings.privacy.pseudonym_salt,
        )
        handoff_sweeper = attach_handoff_gate(  # open handoffs bypass Rasa
            gateway, sessions=app.state.console.sessions, wording=wording, settings=settings.handoff
        )
        # The webhook stores events in the case database; this worker answers them.
        intake = build_intake(sessions=app.state.console.sessions, gateway=gateway, settings=settings.intake)
        app.state.line_intake = intake
        intake.start()
        simulator_http = None
        if simulator_mode:
            simulator_http = httpx.AsyncClient(base_url=settings.web.public_base_url, timeout=15)
            app.state.simulator = SimulatorContext(
                channel_secret=settings.line.channel_secret,
                http=simulator_http,
                fake_line_prefix=FAKE_LINE_PREFIX,
            )
            logger.info("simulator mode: open %s/simulator", settings.web.public_base_url.rstrip("/"))
        try:
            yield
        finally:
            handoff_sweeper.cancel()
            await intake.stop()
            if simulator_http is not None:
                await simulator_http.aclose()
            await gateway.close()
            await evidence.close()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app (webhook, console, health, and in simulator mode fake LINE + page)
    from ``settings`` (default: the process's, from the environment)."""
    settings = settings or get_settings()
    simulator_mode = settings.line.simulator_mode
    effective = _effective_settings(settings)
    # The domain's wording, read once: a missing or malformed text stops the start here.
    wording = Wording.load(settings.domain.path)

    app = FastAPI(
        title="i-Dee LINE gateway",
        lifespan=_lifespan(effective, wording, simulator_mode),
        **api_docs_urls(settings.security),
    )
    app.state.settings = effective
    app.state.simulator_mode = simulator_mode
    app.state.line_parser = WebhookParser(effective.line.channel_secret)
    app.include_router(webhook_router)
    app.state.console = build_console(settings, wording)
    install_security(app, settings=settings, wording=wording)  # limits, headers, log masking
    app.include_router(console_api_router)
    app.include_router(open311_router)
    install_console_pages(app)
    install_session_refresh(app)  # console sessions end after an idle while
    app.add_middleware(ServerTimingMiddleware)  # outermost: times everything below it

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    if simulator_mode:
        fake_line = create_fake_line_app()
        app.state.fake_line = fake_line
        app.mount(FAKE_LINE_PREFIX, fake_line)
        app.include_router(simulator_router)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        """Where a person who opens the bare address wants to be: the chat simulator when there
        is no LINE channel, the officer console otherwise."""
        return RedirectResponse("/simulator" if simulator_mode else "/console")

    return app
