"""Install the security layer on the web app (one call from ``create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from web.security.errors import install_error_handlers
from cases.log_masking import install_log_masking
from web.security.middleware import (
    BodySizeLimitMiddleware,
    RateLimitMiddleware,
    SecurityHeadersMiddleware,
)
from web.security.production import require_safe_settings
from web.security.rate_limits import RateLimits
from web.security.user_limits import LineUserLimits, rate_limited_text
from cases.domain_texts import Wording
from settings import Settings


def install_security(
    app: FastAPI,
    settings: Settings,
    wording: Wording,
) -> None:
    """Refuse unsafe production settings, mask logs, add limits and headers.

    Middleware order (outermost first): headers (so 413/429 get them too), body size,
    rate limits. ``app.state.line_user_limits`` is the webhook's per-LINE-user limit;
    call after ``app.state.console`` exists (its sessions hold the stored events).
    """
    security = settings.security
    require_safe_settings(settings)
    install_log_masking()
    install_error_handlers(app)
    limits = RateLimits.from_settings(security) if security.rate_limit_enabled else None
    app.state.security_settings = security
    app.state.rate_limits = limits
    app.state.line_user_limits = (
        LineUserLimits(
            limits=limits,
            sessions=app.state.console.sessions,
            notice_text=rate_limited_text(wording),
        )
        if limits is not None
        else None
    )
    if limits is not None:
        app.add_middleware(RateLimitMiddleware, limits=limits)
    app.add_middleware(
        BodySizeLimitMiddleware,
        webhook_bytes=security.max_webhook_body_bytes,
        default_bytes=security.max_request_body_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware, https=settings.console.cookie_secure)
