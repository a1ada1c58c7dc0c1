"""`make run`: start Rasa, the action server and the web app; Ctrl-C stops them all."""

from __future__ import annotations

import signal
import sys
import time

from settings import get_settings
from tools.processes import (
    ROOT,
    ManagedProcess,
    action_server,
    rasa_server,
    stop_all,
    web_app,
)


DEMO_FACTORIES = 3000
# Rasa loads TensorFlow and the model before it answers: about a minute on an idle 2-core
# machine, several on a busy one. A process that exits is reported at once, so a long
# deadline costs nothing when something is wrong.
STARTUP_TIMEOUT_S = 900


def ensure_demo_registry(database_url: str) -> int:
    """In simulator mode an empty factory registry gets the demo one (what `make seed` loads),
    so a complaint about "the ice factory near Mahachai" is offered its candidates; a real
    registry, once imported, is never touched. Returns how many factories were added."""
    from sqlalchemy import func, select

    from cases.db import make_engine, make_session_factory
    from cases.registry.demo import demo_csv
    from cases.registry.importer import import_csv_text
    from cases.registry.models import Factory

    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if session.scalar(select(func.count(Factory.id))):
                return 0
            return import_csv_text(session, demo_csv(DEMO_FACTORIES)).inserted
    finally:
        engine.dispose()


def main() -> int:
    settings = get_settings()
    dev = settings.dev
    model = dev.model.resolve()  # the versioned file models/idee.tar.gz links to: Rasa's GET /status names it
    log_dir = ROOT / "var" / "log"
    shared = {
        "RASA_URL": f"http://127.0.0.1:{dev.rasa_port}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{dev.web_port}",
    }
    processes: list[ManagedProcess] = [
        action_server(port=dev.actions_port, log_dir=log_dir, env=shared),
        rasa_server(
            model=model,
            port=dev.rasa_port,
            action_url=f"http://127.0.0.1:{dev.actions_port}/webhook",
            log_dir=log_dir,
            tracker_db=ROOT / "var" / "conversations.db",
        ),
        web_app(port=dev.web_port, log_dir=log_dir, env=shared),
    ]
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    simulator = settings.line.simulator_mode
    if simulator:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            added = ensure_demo_registry(settings.database.sqlalchemy_url)
        except SQLAlchemyError as error:  # e.g. not migrated: the stack runs without a registry
            print(f"demo factory registry not loaded ({type(error).__name__})", file=sys.stderr)
            added = 0
        if added:
            print(f"demo factory registry: {added} factories (make import-registry FILE=... loads a real one)")
    try:
        for process in processes:
            print(f"starting {process.name} (log: {process.log_path.relative_to(ROOT)}) ...", flush=True)
            process.start()
        for process in processes:
            # Waited for in one-second steps, so that Ctrl-C during a long model load stops the
            # stack at once (the signal handler only sets `stopping`).
            started = time.monotonic()
            next_note = started + 60
            while not stopping:
                try:
                    process.wait_healthy(timeout=1)
                    break
                except TimeoutError:
                    waited = time.monotonic() - started
                    if waited >= STARTUP_TIMEOUT_S:
                        raise
                    if started + waited >= next_note:
                        print(f"  {process.name} is still starting ({waited:.0f}s) ...", flush=True)
                        next_note += 60
            if stopping:
                return 130
            print(f"  {process.name} is up", flush=True)
        print(
            "\ni-Dee is running:\n"
            f"  Rasa server       http://127.0.0.1:{dev.rasa_port}\n"
            f"  Action server     http://127.0.0.1:{dev.actions_port}\n"
            f"  Web app           http://127.0.0.1:{dev.web_port}\n"
            + (
                f"  LINE simulator    http://127.0.0.1:{dev.web_port}/simulator  (no LINE credentials: simulator mode)\n"
                if simulator
                else f"  LINE webhook      http://127.0.0.1:{dev.web_port}/line/webhook\n"
            )
            + f"  Officer console   http://127.0.0.1:{dev.web_port}/console  (first account: make create-admin)\n"
            + f"Logs: {log_dir.relative_to(ROOT)}/ (one file per process). Press Ctrl-C to stop.",
            flush=True,
        )
        while not stopping:
            for process in processes:
                if not process.is_running():
                    print(f"{process.name} stopped unexpectedly; see {process.log_path}", file=sys.stderr)
                    return 1
            time.sleep(1)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        print("stopping ...", flush=True)
        stop_all(processes)
        print("stopped.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
