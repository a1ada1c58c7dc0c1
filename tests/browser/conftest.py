"""Real headless Chromium (Debian's package) driven by Playwright against the running app.

The app, the fake LINE and a Rasa tracker stub run on loopback ports; the case database
is a migrated SQLite file. Playwright never downloads a browser: it drives
/usr/bin/chromium (``apt-get install chromium``; .ci/run does it).
"""

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cases.db import make_engine, make_session_factory
from cases.taxonomy import Category
from gateway.dev.fake_line import create_fake_line_app
from web.app import create_app
from tests.cases.factories import officer, ticket
from tests.support.web import DOMAIN_YAML, closed_port_url, gateway_settings, serve

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
CITIZEN = "U" + "b" * 32
SCREENSHOTS = Path(__file__).resolve().parents[2] / "results" / "screenshots"


@dataclass
class Stack:
    url: str
    fake_line_url: str
    overdue: str  # an overdue odor ticket of PIO-CBI from CITIZEN
    other: str  # a PIO-CMI ticket


def _seed(sessions) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    with sessions.begin() as s:
        officer(s, "cbi-officer", "PIO-CBI")
        late = ticket(
            s, line_user_id=CITIZEN, subject_name="บริษัท ยางไทย จำกัด", description="โรงงานส่งกลิ่นเหม็นเหมือนยางไหม้ทุกคืน"
        )
        late.created_at, late.ack_due_at = now - timedelta(days=4), now - timedelta(days=3)
        for days in (10, 20):
            old = ticket(s, subject_name="บริษัท ยางไทย จำกัด", description="กลิ่นเหม็นอีกแล้ว")
            old.created_at, old.first_action_at = now - timedelta(days=days), now - timedelta(days=days - 1)
        ticket(s, category=Category.HAZARD, description="สารเคมีรั่วไหล แสบตา")
        other = ticket(s, province="เชียงใหม่").tracking_number
        return late.tracking_number, other


def _chromium_or_skip():  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        message = f"browser tests need the playwright package and {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


@pytest.fixture
def stack(tmp_path: Path, new_sqlite_database: Callable[[str], str]) -> Iterator[Stack]:
    url = new_sqlite_database("browser.db")
    engine = make_engine(url)
    overdue, other = _seed(make_session_factory(engine))
    engine.dispose()
    domain = tmp_path / "domain.yml"
    domain.write_text(DOMAIN_YAML, encoding="utf-8")
    with serve(create_fake_line_app()) as fake_line_url:
        settings = gateway_settings(
            LINE_API_BASE_URL=fake_line_url,
            RASA_URL=closed_port_url(),
            DOMAIN_PATH=str(domain),
            DATABASE_URL=url,
            CONSOLE_SECRET_KEY="browser-test",
            TRANSCRIPT_TIMEOUT_SECONDS=0.5,
        )
        with serve(create_app(settings)) as app_url:
            yield Stack(app_url, fake_line_url, overdue, other)


@pytest.fixture
def phone(stack: Stack):  # type: ignore[no-untyped-def]
    """A Chromium page the size of a phone."""
    sync_playwright = _chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="th-TH"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def load_ms(page) -> float:  # type: ignore[no-untyped-def]
    """Navigation start to the load event of the page now shown."""
    for _ in range(50):
        value = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n && n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : null; }"
        )
        if value is not None:
            return float(value)
        time.sleep(0.05)
    raise AssertionError("the page never finished loading")
