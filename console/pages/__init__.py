"""The Thai web console under /console: server-rendered pages over the API's rules."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from console.pages import account, auth, dashboard, factories, handoffs, map, tickets
from console.pages import trainer
from console.pages.common import PREFIX, LoginRequired, login_redirect

STATIC_DIR = Path(__file__).parent.parent / "static"

router = APIRouter(include_in_schema=False)
for part in (
    auth.router,
    dashboard.router,
    tickets.router,
    handoffs.router,
    account.router,
    factories.router,
    map.router,
):
    router.include_router(part, prefix=PREFIX)
router.include_router(trainer.router, prefix=PREFIX)  # trainers' pages


def install_console_pages(app: FastAPI) -> None:
    """Pages, their static files (gzipped: the chart library is 200 KB raw) and login redirects."""
    app.include_router(router)
    app.mount(
        f"{PREFIX}/static", GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024), name="console-static"
    )
    app.add_exception_handler(LoginRequired, login_redirect)  # type: ignore[arg-type]
