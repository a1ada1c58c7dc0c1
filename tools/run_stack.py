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
    try:
        for process in processes:
            print(f"starting {process.name} (log: {process.log_path.relative_to(ROOT)}) ...", flush=True)
            process.start()
        for process in processes:
            process.wait_healthy(timeout=180)
            print(f"  {process.name} is up", flush=True)
        simulator = settings.line.simulator_mode
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
