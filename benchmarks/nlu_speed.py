"""NLU speed: parse latency p50/p95 in-process and over the Rasa HTTP API, and training time.

    .venv/rasa/bin/python benchmarks/nlu_speed.py [--model models/idee.tar.gz] [--train]
        [--messages tests/nlu/heldout.yml] [--repeat 2]

In-process: ``Agent.parse_message`` on the loaded model (the NLU graph only). HTTP:
``POST /model/parse`` on a ``rasa run --enable-api`` server started here on a free port.
``--train`` also times a full ``rasa train`` (NLU + dialogue, no cache) into a temp dir.
Messages are the texts of an NLU file (only their wording is used, not their labels).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_PY = ROOT / ".venv" / "rasa" / "bin" / "python"
TRAIN_DATA = ["data", "bot/dialogue"]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summary(name: str, ms: list[float]) -> str:
    return (
        f"{name:<22} n={len(ms):<4} p50={percentile(ms, 50):6.1f} ms  "
        f"p95={percentile(ms, 95):6.1f} ms  mean={statistics.fmean(ms):6.1f} ms"
    )


def env() -> dict[str, str]:
    tracker_db = str(Path(tempfile.gettempdir()) / "nlu_speed_conversations.db")
    return {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "RASA_TRACKER_DB": tracker_db,
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(ROOT),
    }


def messages_from(path: str) -> list[str]:
    from evaluation.dataset import load_training_data

    return [m.get("text") for m in load_training_data(path).intent_examples]


async def in_process(model: str, texts: list[str], repeat: int) -> list[float]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    for text in texts[:10]:  # warm-up
        await agent.parse_message(text)
    times = []
    for _ in range(repeat):
        for text in texts:
            t0 = time.perf_counter()
            await agent.parse_message(text)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def over_http(model: str, texts: list[str], repeat: int) -> list[float]:
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "nlu_speed_rasa.log", "wb")
    server = subprocess.Popen(
        [
            str(RASA_PY),
            "-m",
            "rasa",
            "run",
            "--enable-api",
            "--model",
            model,
            "--port",
            str(port),
            "--endpoints",
            "endpoints.yml",
        ],  # /model/parse runs the NLU only
        cwd=ROOT,
        env=env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{url}/status", timeout=2) as r:
                    if json.load(r).get("model_file"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"Rasa server did not come up; see {log.name}")
            time.sleep(1)

        def post(text: str) -> None:
            req = urllib.request.Request(
                f"{url}/model/parse",
                data=json.dumps({"text": text}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()

        for text in texts[:10]:
            post(text)
        times = []
        for _ in range(repeat):
            for text in texts:
                t0 = time.perf_counter()
                post(text)
                times.append((time.perf_counter() - t0) * 1000)
        return times
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def load_average() -> str:
    """The 1/5/15-minute load averages: the machine is shared, so every timing says it."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def train_time() -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system of the child) of a full rasa train."""
    import resource

    with tempfile.TemporaryDirectory() as out:
        t0 = time.monotonic()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [
                str(RASA_PY),
                "-m",
                "rasa",
                "train",
                "--config",
                "config.yml",
                "--domain",
                "bot/domain",
                "--data",
                *TRAIN_DATA,
                "--out",
                out,
                "--fixed-model-name",
                "speed",
            ],
            cwd=ROOT,
            env={**env(), "RASA_MAX_CACHE_SIZE": "0"},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        return time.monotonic() - t0, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NLU parse latency and training time")
    parser.add_argument("--model", default="models/idee.tar.gz")
    parser.add_argument("--messages", default="tests/nlu/heldout.yml")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--train", action="store_true", help="also time a full rasa train (no cache)")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--train-seconds",
        type=float,
        default=None,
        help="record a training time measured elsewhere (e.g. the 'trained in Ns' of make train)",
    )
    parser.add_argument(
        "--train-load", default=None, help="load averages during that training (recorded with --train-seconds)"
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    os.environ.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
    texts = messages_from(args.messages)
    print(f"==> {len(texts)} messages x {args.repeat}; {os.cpu_count()} cores", flush=True)
    lines, figures = (
        [],
        {
            "messages": len(texts),
            "repeat": args.repeat,
            "cores": os.cpu_count(),
            "model": args.model,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load": load_average(),
        },
    )
    print("==> in-process (Agent.parse_message)", flush=True)
    ms = asyncio.run(in_process(args.model, texts, args.repeat))
    figures["in_process_ms"] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95)}
    lines.append(summary("in-process", ms))
    print(lines[-1], flush=True)
    if not args.no_http:
        print("==> HTTP POST /model/parse (starting rasa run --enable-api)", flush=True)
        ms = over_http(args.model, texts, args.repeat)
        figures["http_ms"] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95)}
        lines.append(summary("HTTP /model/parse", ms))
        print(lines[-1], flush=True)
    if args.train:
        print("==> full rasa train (NLU + dialogue, cache off)", flush=True)
        load_before = load_average()
        figures["train_s"], figures["train_cpu_s"] = train_time()
        figures["train_load"] = f"{load_before} before, {load_average()} after"
        lines.append(
            f"{'full training':<22} {figures['train_s']:.0f} s wall, {figures['train_cpu_s']:.0f} s CPU "
            f"(load {figures['train_load']})"
        )
        print(lines[-1], flush=True)
    elif args.train_seconds is not None:
        figures["train_s"] = args.train_seconds
        figures.pop("train_cpu_s", None)
        figures["train_load"] = args.train_load or "not recorded"
        lines.append(f"{'full training':<22} {figures['train_s']:.0f} s (given; load {figures['train_load']})")
    out = ROOT / "results" / "nlu_speed.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    if previous.get("model") == args.model:  # keep figures of an earlier run left out here
        figures = {**previous, **figures}
    out.write_text(json.dumps(figures, indent=2))
    lines.append(f"(saved to {out.relative_to(ROOT)})")
    print("==> summary\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
