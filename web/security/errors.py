"""Bad input gets a clear answer, never a 500.

An id far beyond any row (``/api/handoffs/17281350033086584193024``) passes FastAPI's
``int`` check but cannot be bound by SQLite (``OverflowError``); no such row can exist,
so the answer is the same 404 a missing row gets. (PostgreSQL compares it as numeric
and simply finds nothing.)
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)


async def id_out_of_range(request: Request, exc: OverflowError) -> JSONResponse:
    logger.info("%s %s: a number out of the database's range (%s)", request.method, request.url.path, exc)
    return JSONResponse({"detail": "not found"}, status_code=404)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(OverflowError, id_out_of_range)  # type: ignore[arg-type]
