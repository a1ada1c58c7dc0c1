"""Cost per message: CPU milliseconds per answered citizen message, per tier and per step,
beside a bare ``rasa run`` on the same model; and how the cost grows.

One run starts the scale-out topology (tools/run_scaled.py), warms it up, then drives
simulated citizens (benchmarks/load.py) at a steady rate below the ceiling and measures:

- **per tier**: psutil CPU time (user + system, reaped children included) of every process
  of the web app, the gateway workers, Rasa, the action servers, the private PostgreSQL,
  and (shared with the rest of the machine, so an upper bound) RabbitMQ and Redis, divided
  by the messages answered in the window; the load generator and the fake LINE are shown
  apart and are not part of the stack;
- **per step** (``--profile``): py-spy samples (on-CPU only) of each Python process,
  classified by the function on the stack (signature, store, enqueue, claim, Rasa NLU,
  policies, tracker load/save, action HTTP, action SQL, reply ...); a step's share of the
  samples times the process's CPU time gives its milliseconds per message;
- **bare Rasa** (``--bare``): after the stack is stopped, a ``rasa run`` with no action
  server and an in-memory tracker on the same model replays the texts the citizens sent,
  as NLU parses (``/model/parse``) and as REST turns; CPU per parse and per turn, its
  throughput with 8 conversations at once, and the ratio of the stack's cost to it;
- **growth**: ``--tickets N`` first puts N tickets into the case database;
  ``--history K`` has the same K citizens file complaint after complaint and reports the
  cost of the 1st and of the K-th; ``--rasa`` sets the number of Rasa servers.

    python -m benchmarks.cost --model models/idee.tar.gz --messages 300 --rate 4 --profile --bare \\
        --json /tmp/cost.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psutil

from benchmarks.load import LoadRun, busy_text, percentile
from gateway.signing import new_user_id

# --- CPU accounting ------------------------------------------------------------------------


def process_tree(pid: int) -> list[psutil.Process]:
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_seconds(procs: list[psutil.Process]) -> dict[int, float]:
    """CPU seconds per pid, children it has reaped included (PostgreSQL's ended backends)."""
    out = {}
    for proc in procs:
        try:
            t = proc.cpu_times()
            out[proc.pid] = t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return out


def named_processes(*names: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] in names:
            found += process_tree(proc.pid)
    return list({p.pid: p for p in found}.values())


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])


class TierMeter:
    """CPU seconds spent by each tier between ``start()`` and ``stop()``."""

    SHARED = ("rabbitmq", "redis")  # machine-wide services: other users' work is included

    def __init__(self, tiers: dict[str, list[int]], shared: bool = True) -> None:
        self.tiers = tiers
        self.shared = shared
        self._start: dict[str, dict[int, float]] = {}
        self._gen_start = 0.0
        self.seconds: dict[str, float] = {}

    def _procs(self, tier: str) -> list[psutil.Process]:
        if tier == "rabbitmq":
            return named_processes("beam.smp")
        if tier == "redis":
            return named_processes("redis-server")
        return [p for pid in self.tiers[tier] for p in process_tree(pid)]

    def _names(self) -> list[str]:
        return [*self.tiers, *(self.SHARED if self.shared else ())]

    def start(self) -> None:
        self._start = {tier: cpu_seconds(self._procs(tier)) for tier in self._names()}
        self._gen_start = self._generator()
        self._wall = time.monotonic()

    @staticmethod
    def _generator() -> float:
        t = psutil.Process().cpu_times()  # our own threads; not py-spy, our child
        return t.user + t.system

    def stop(self) -> dict[str, float]:
        for tier in self._names():
            end = cpu_seconds(self._procs(tier))
            before = self._start.get(tier, {})
            self.seconds[tier] = sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in end.items())
        self.seconds["load generator"] = self._generator() - self._gen_start
        self.wall = time.monotonic() - self._wall
        return self.seconds


# --- per-step classification of profiler samples -------------------------------------------

# (step, pattern on one frame "function (file:line)"): the deepest frame that matches any
# pattern names the step; samples with none are the tier's "other" (server, event loop).
STEPS: dict[str, list[tuple[str, str]]] = {
    "web": [
        ("signature", r"WebhookParser|signature|signing\.py|hmac"),
        ("store", r"store_events|_store \(.*gateway/intake\.py"),
        ("enqueue", r"publish|dramatiq|pika"),
        ("rate limits", r"limits/|line_user_limits|user_limits"),
        ("parse JSON", r"incoming_events"),
        ("log", r"logging/__init__\.py|log_masking"),
    ],
    "workers": [
        ("claim", r"claim_next_events|user_key_of|owner \(.*gateway/intake\.py"),
        ("record outcome", r"mark_done|mark_retry|mark_failed|_finish \(.*gateway/intake\.py"),
        ("queue consume", r"dramatiq|pika"),
        ("Rasa HTTP call", r"rasa_pool\.py|rasa_client\.py"),
        ("reply to LINE", r"line_client\.py|_deliver|to_line_messages|line_messages|outgoing\.py|linebot"),
        ("handoff gate", r"handoff_gate\.py"),
        ("turn from event", r"turn_for_event|turns\.py"),
        ("sweeper", r"stalled_events|sweep_once"),
        ("log", r"logging/__init__\.py|log_masking"),
    ],
    "rasa": [
        ("action response check (jsonschema)", r"_validate_action_result|jsonschema"),
        ("NLU", r"parse_message \(|_parse_message_with_graph"),
        ("policies", r"_predict_next_with_tracker|predict_next_with_tracker_if_should"),
        ("tracker load", r"get_or_create_tracker|retrieve \(.*tracker_store|_retrieve|fetch_tracker"),
        ("tracker save", r"save \(.*tracker_store|save_tracker|_additional_events"),
        ("tracker copy", r"copy \(.*trackers\.py|deepcopy"),
        ("lock", r"lock_store\.py"),
        ("slot extraction", r"run_action_extract_slots"),
        ("action HTTP", r"RemoteAction|_create_api_json|rasa/utils/endpoints\.py|aiohttp"),
        ("NLG / responses", r"/nlg/"),
        ("REST channel", r"channels/rest\.py|channels/channel\.py"),
        ("log", r"logging/__init__\.py|structlog"),
    ],
    "actions": [
        ("HTTP + JSON", r"rasa_sdk/endpoint\.py|sanic|ujson|json/"),
        ("executor", r"rasa_sdk/executor\.py"),
        ("action code", r"/actions/"),
        ("tracker from JSON", r"rasa_sdk/interfaces\.py"),
        ("settings", r"pydantic_settings|pydantic/"),
        ("action SQL", r"sqlalchemy|psycopg"),
        ("log", r"logging/__init__\.py|log_masking"),
    ],
}


# Leaf frames of a thread that waits (py-spy reports some waiting threads as active): a
# thread pool's empty queue, an event loop's or pika's select, a socket read.
IDLE_LEAVES = re.compile(
    r"^(_worker \(.*concurrent/futures/thread\.py|poll \(.*pika/adapters/select_connection\.py"
    r"|serve \(.*sanic/server/runners\.py|asyncio_run \(.*uvicorn/_compat\.py|wait \(.*psycopg/connection\.py"
    r"|select \(.*selectors\.py|wait \(.*threading\.py|_wait_for_tstate_lock|run_forever \(.*asyncio)"
)


def classify(stack: list[str], rules: list[tuple[str, str]]) -> str:
    if stack and IDLE_LEAVES.search(stack[-1]):
        return "idle"
    compiled = [(name, re.compile(pattern)) for name, pattern in rules]
    for frame in reversed(stack):
        for name, pattern in compiled:
            if pattern.search(frame):
                return name
    return "other"


def read_raw_profile(path: Path) -> Counter[tuple[str, ...]]:
    """py-spy ``--format raw``: one collapsed stack per line, frames ';'-separated, then a count."""
    stacks: Counter[tuple[str, ...]] = Counter()
    if not path.exists():
        return stacks
    for line in path.read_text(errors="replace").splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks[tuple(frames.split(";"))] += int(count)
    return stacks


class Profiler:
    """py-spy ``record`` on every process of the profiled tiers, stopped with SIGINT."""

    def __init__(self, py_spy: str, tiers: dict[str, list[int]], out_dir: Path, rate: int = 50) -> None:
        self.py_spy = py_spy
        self.tiers = {t: pids for t, pids in tiers.items() if t in STEPS}
        self.out = out_dir
        self.rate = rate
        self.running: list[tuple[str, Path, subprocess.Popen[bytes]]] = []

    def start(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for tier, pids in self.tiers.items():
            for pid in pids:
                path = self.out / f"{tier}-{pid}.txt"
                argv = [self.py_spy, "record", "--pid", str(pid), "--rate", str(self.rate), "--format", "raw"]
                argv += ["--output", str(path), "--nonblocking", "--subprocesses"]
                proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.running.append((tier, path, proc))

    def stop(self) -> dict[str, Counter[str]]:
        for _, _, proc in self.running:
            proc.send_signal(signal.SIGINT)
        steps: dict[str, Counter[str]] = defaultdict(Counter)
        for tier, path, proc in self.running:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
            for stack, count in read_raw_profile(path).items():
                steps[tier][classify(list(stack), STEPS[tier])] += count
        for counts in steps.values():
            counts.pop("idle", None)  # waiting is no CPU: the other samples share the CPU time
        return steps


def top_frames(path_glob: list[Path], n: int = 25) -> list[tuple[str, int]]:
    """The leaf functions with the most samples (for finding what to cut)."""
    leaves: Counter[str] = Counter()
    for path in path_glob:
        for stack, count in read_raw_profile(path).items():
            leaves[stack[-1]] += count
    return leaves.most_common(n)


# --- renicing the rest of the machine -------------------------------------------------------


class Renicer:
    """While measuring on a shared machine: every process outside the measured stack at
    niceness 19 (renewed each second, for processes started meanwhile), restored after."""

    def __init__(self, keep: set[int]) -> None:
        self.keep = keep
        self.original: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _kept(self) -> set[int]:
        kept = set(self.keep) | {os.getpid()}
        for pid in list(self.keep) + [os.getpid()]:
            kept |= {p.pid for p in process_tree(pid)}
        for name in ("beam.smp", "redis-server", "epmd"):
            kept |= {p.pid for p in named_processes(name)}
        return kept

    def _loop(self) -> None:
        while not self._stop.is_set():
            kept = self._kept()
            for proc in psutil.process_iter(["pid", "ppid", "nice"]):
                pid = proc.info["pid"]
                kernel_thread = proc.info["ppid"] == 2  # softirq and friends serve our sockets too
                if pid in kept or pid <= 2 or kernel_thread or pid in self.original or proc.info["nice"] is None:
                    continue
                try:
                    if proc.info["nice"] < 19:
                        self.original[pid] = proc.info["nice"]
                        proc.nice(19)
                except psutil.Error:
                    pass
            self._stop.wait(1.0)

    def __enter__(self) -> "Renicer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for pid, nice in self.original.items():
            try:
                psutil.Process(pid).nice(nice)
            except psutil.Error:
                pass


# --- growth: tickets already in the case database ------------------------------------------


def seed_tickets(database_url: str, count: int, first: int = 0) -> float:
    """``count`` tickets (numbers from ``first`` on) made by PostgreSQL itself (generate_series);
    returns the seconds."""
    import psycopg

    started = time.monotonic()
    url = database_url.replace("postgresql+psycopg", "postgresql")
    categories = ["odor", "noise", "wastewater", "smoke", "dust", "blasting"]
    with psycopg.connect(url) as conn:
        conn.execute(
            """
            INSERT INTO tickets (tracking_number, category, agency, priority, confidential, state,
                                 description, province, subject_type, line_user_id, anonymous,
                                 created_at, updated_at)
            SELECT 'IDEE-2560-' || lpad(g::text, 6, '0'),
                   (%(categories)s::text[])[1 + g %% 6], 'DIW', 'normal', false,
                   (ARRAY['new','in_progress','resolved','closed'])[1 + g %% 4],
                   'seeded complaint ' || g, 'ชลบุรี', 'factory',
                   'U' || md5(g::text), false,
                   now() - (g %% 365) * interval '1 day', now()
            FROM generate_series(%(first)s, %(first)s + %(n)s - 1) AS g
            """,
            {"n": count, "first": first, "categories": categories},
        )
        conn.execute("ANALYZE tickets")
    return time.monotonic() - started


# --- the returning citizen: the same users complaint after complaint -----------------------


class FixedCitizensRun(LoadRun):
    """Only the given users, each until one complaint is confirmed; then the run stops."""

    def __init__(self, users: list[str], **kwargs: Any) -> None:
        super().__init__(messages=len(users) * 20, max_citizens=len(users), **kwargs)
        self._fresh = list(users)

    def _idle_citizen(self, now: float):  # type: ignore[no-untyped-def]
        from benchmarks.load import Citizen
        import heapq

        while self._ready and self._ready[0][0] <= now:
            _, _, user = heapq.heappop(self._ready)
            citizen = self.citizens[user]
            if not citizen.waiting and self._in_conversation(citizen):
                citizen.waiting = True
                return citizen
        if self._fresh:
            citizen = Citizen(user=self._fresh.pop(), waiting=True)
            self.citizens[citizen.user] = citizen
            self._active.add(citizen.user)
            return citizen
        if not self._active:
            self.stop_sending = True
        return None


# --- bare Rasa ----------------------------------------------------------------------------


async def drive_bare(url: str, conversations: list[list[str]], concurrency: int, parse_only: bool) -> int:
    import aiohttp

    sem = asyncio.Semaphore(concurrency)
    done = 0

    async def one(texts: list[str], http: aiohttp.ClientSession) -> None:
        nonlocal done
        sender = new_user_id()
        async with sem:
            for text in texts:
                if parse_only:
                    request = http.post(f"{url}/model/parse", json={"text": text})
                else:
                    request = http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
                async with request as response:
                    await response.read()
                    if response.status == 200:
                        done += 1

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        await asyncio.gather(*(one(texts, http) for texts in conversations))
    return done


def bare_rasa(model: Path, port: int, conversations: list[list[str]], log_dir: Path) -> dict[str, Any]:
    """CPU per NLU parse and per REST turn of a ``rasa run`` with no actions, in-memory tracker."""
    from tools.processes import RASA_PYTHON, ManagedProcess, base_env

    endpoints = log_dir / "bare-endpoints.yml"
    endpoints.parent.mkdir(parents=True, exist_ok=True)
    endpoints.write_text("# none: in-memory tracker store, no action server\n{}\n")
    process = ManagedProcess(
        name="bare-rasa",
        argv=[
            str(RASA_PYTHON),
            "-m",
            "rasa",
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=base_env({}),
        health_url=f"http://127.0.0.1:{port}/status",
        log_path=log_dir / "bare-rasa.log",
    )
    process.start()
    try:
        process.wait_healthy(600)
        url = f"http://127.0.0.1:{port}"
        assert process.process is not None
        pid = process.process.pid
        warm = [texts[:3] for texts in conversations[:10]]
        asyncio.run(drive_bare(url, warm, 2, parse_only=False))  # the graph's first runs: not measured
        out: dict[str, Any] = {}
        for name, parse_only, concurrency in (("parse", True, 1), ("turn", False, 1), ("turn_x8", False, 8)):
            meter = TierMeter({"rasa": [pid]}, shared=False)
            meter.start()
            started = time.monotonic()
            count = asyncio.run(drive_bare(url, conversations, concurrency, parse_only))
            wall = time.monotonic() - started
            seconds = meter.stop()["rasa"]
            out[name] = {
                "count": count,
                "cpu_ms": round(1000 * seconds / max(1, count), 1),
                "per_second": round(count / wall, 1),
            }
        return out
    finally:
        process.stop()


# --- one measured window ------------------------------------------------------------------


def measure_window(
    stack: Any,
    run: LoadRun,
    *,
    profiler_bin: str | None,
    profile_dir: Path,
    renice: bool,
    tiers: dict[str, list[int]],
) -> dict[str, Any]:
    keep = {pid for pids in tiers.values() for pid in pids}
    meter = TierMeter(tiers)
    profiler = Profiler(profiler_bin, tiers, profile_dir) if profiler_bin else None
    loads = [os.getloadavg()[0]]
    with Renicer(keep) if renice else _Nothing():
        if profiler:
            profiler.start()
            time.sleep(1.0)  # py-spy attached before the first message
        meter.start()
        report = asyncio.run(run.run())
        seconds = meter.stop()
        loads.append(os.getloadavg()[0])
        steps = profiler.stop() if profiler else {}
    answered = max(1, report.answered)
    per_tier = {tier: round(1000 * s / answered, 1) for tier, s in seconds.items()}
    stack_tiers = [t for t in per_tier if t not in ("load generator", "fake_line")]
    per_step: dict[str, dict[str, float]] = {}
    for tier, counts in steps.items():
        total = sum(counts.values())
        if total:
            per_step[tier] = {step: round(per_tier[tier] * count / total, 1) for step, count in counts.most_common()}
    measured = [s for s in run.sent if s.status == 200 and s.answers]
    replies = [(s.answers[0] - s.sent_at) * 1000 for s in measured]
    return {
        "answered": report.answered,
        "sent": report.sent,
        "lost": report.lost,
        "duplicated": report.duplicated,
        "wall_s": round(meter.wall, 1),
        "cpu_ms_per_message": per_tier,
        "stack_cpu_ms_per_message": round(sum(per_tier[t] for t in stack_tiers), 1),
        "stack_cpu_ms_without_shared": round(sum(per_tier[t] for t in stack_tiers if t not in TierMeter.SHARED), 1),
        "steps_ms_per_message": per_step,
        "reply_ms": {p: round(percentile(replies, p), 1) for p in (50, 95, 99)},
        "ack_ms": report.ack_ms,
        "load_avg": [round(x, 2) for x in loads],
    }


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def stack_tiers(stack: Any) -> dict[str, list[int]]:
    tiers = {
        role: [p.process.pid for p in stack.roles[role] if p.process is not None]
        for role in ("web", "workers", "rasa", "actions", "fake_line")
    }
    tiers["postgres"] = [postmaster_pid(stack.postgres.data)]
    return tiers


def print_window(title: str, result: dict[str, Any]) -> None:
    print(
        f"\n== {title}: {result['answered']} answered of {result['sent']} in {result['wall_s']} s, "
        f"lost {result['lost']}, dup {result['duplicated']}, load average {result['load_avg']}"
    )
    print(
        f"stack CPU ms/message: {result['stack_cpu_ms_per_message']} "
        f"(without the shared RabbitMQ/Redis: {result['stack_cpu_ms_without_shared']})"
    )
    for tier, ms in result["cpu_ms_per_message"].items():
        print(f"  {tier:16s} {ms:7.1f} ms")
    for tier, steps in result["steps_ms_per_message"].items():
        print(f"  steps of {tier}: " + ", ".join(f"{k} {v}" for k, v in steps.items()))
    print(f"reply ms p50/p95/p99: {result['reply_ms']}; ack ms: {result['ack_ms']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--rasa", type=int, default=1)
    parser.add_argument("--actions", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rate", type=float, default=4, help="messages per second (below the ceiling)")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="py-spy samples per step (py-spy on PATH or --py-spy)")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "")
    parser.add_argument("--bare", action="store_true", help="then a bare rasa run on the same model")
    parser.add_argument("--tickets", default="", help="comma-separated ticket counts to seed before windows")
    parser.add_argument("--history", type=int, default=0, help="K: the same citizens' 1st .. K-th complaint")
    parser.add_argument("--history-citizens", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=15, help="first measure the idle stack this long")
    parser.add_argument("--renice-others", action="store_true", help="other processes at niceness 19 meanwhile")
    parser.add_argument("--port-base", type=int, default=0)
    parser.add_argument("--json", type=Path, help="append each window's figures as a JSON line")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    from tools.run_scaled import CHANNEL_SECRET, ScaledConfig, ScaledStack

    work = Path(tempfile.mkdtemp(prefix="idee-cost-"))
    label = {"rasa": args.rasa, "actions": args.actions, "workers": args.workers, "rate": args.rate}
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} on {platform.node()} ({os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}), {label}, load average {os.getloadavg()}",
        flush=True,
    )
    stack = ScaledStack(
        ScaledConfig(
            model=args.model,
            work=work,
            rasa=args.rasa,
            actions=args.actions,
            workers=args.workers,
            background_nice=0,  # equal priority: CPU time, not latency, is the figure here
            port_base=args.port_base,
        )
    ).start(timeout=900)
    windows: list[dict[str, Any]] = []
    texts: dict[str, list[str]] = defaultdict(list)

    def emit(name: str, result: dict[str, Any]) -> None:
        result = {"window": name, **label, "at": time.time(), **result}
        windows.append(result)
        print_window(name, result)
        if args.json:
            with open(args.json, "a") as out:
                out.write(json.dumps(result, ensure_ascii=False) + "\n")

    def load_run(**kwargs: Any) -> LoadRun:
        run = LoadRun(
            gateway_url=stack.gateway_url,
            fake_line_url=stack.fake_line_url,
            channel_secret=CHANNEL_SECRET,
            answer_timeout=300,
            **kwargs,
        )
        run.busy_text = busy_text()
        return run

    try:
        tiers = stack_tiers(stack)
        warm = load_run(rate=2, messages=10 * args.rasa + 10)
        print("warm-up (not measured): " + asyncio.run(warm.run()).lines()[0], flush=True)
        profile_bin = args.py_spy if args.profile and args.py_spy else None
        if args.idle_seconds > 0:  # what the stack burns with nothing to do (polling, sweepers)
            idle = TierMeter(tiers)
            idle.start()
            time.sleep(args.idle_seconds)
            idle_ms = {tier: round(1000 * s / idle.wall, 1) for tier, s in idle.stop().items()}
            print(f"idle CPU ms per second, {args.idle_seconds:g} s without messages: {idle_ms}", flush=True)
            if args.json:
                with open(args.json, "a") as out:
                    out.write(json.dumps({"window": "idle", **label, "idle_cpu_ms_per_s": idle_ms}) + "\n")
        seeded = 0
        for target in [int(t) for t in args.tickets.split(",") if t] or [0]:
            if target > seeded:
                took = seed_tickets(stack.case_db_url, target - seeded, first=seeded)
                print(f"seeded {target - seeded} tickets in {took:.0f} s (now {target})", flush=True)
                seeded = target
            run = load_run(rate=args.rate, messages=args.messages, warmup_seconds=0)
            result = measure_window(
                stack,
                run,
                profiler_bin=profile_bin,
                profile_dir=work / f"profile-{seeded}",
                renice=args.renice_others,
                tiers=tiers,
            )
            result["tickets_seeded"] = seeded
            emit(f"steady {args.rate:g} msg/s, {seeded} seeded tickets", result)
            for record in sorted(run.sent, key=lambda s: (s.user, s.turn)):
                texts[record.user].append(record.text)
            if profile_bin:
                print("top leaf functions:", flush=True)
                for tier in STEPS:
                    files = sorted((work / f"profile-{seeded}").glob(f"{tier}-*.txt"))
                    for frame, count in top_frames(files, 8):
                        print(f"  {tier:8s} {count:6d}  {frame}")
        if args.history:
            users = [new_user_id() for _ in range(args.history_citizens)]
            for index in range(1, args.history + 1):
                run = FixedCitizensRun(
                    list(users),
                    gateway_url=stack.gateway_url,
                    fake_line_url=stack.fake_line_url,
                    channel_secret=CHANNEL_SECRET,
                    rate=args.rate,
                    answer_timeout=300,
                )
                run.busy_text = busy_text()
                measure = index in (1, args.history) or index % 5 == 0
                if measure:
                    result = measure_window(
                        stack, run, profiler_bin=None, profile_dir=work, renice=args.renice_others, tiers=tiers
                    )
                    result["complaint"] = index
                    emit(f"complaint {index} of the same {len(users)} citizens", result)
                else:
                    asyncio.run(run.run())
    finally:
        stack.stop()
    if args.bare and texts:
        from tools.run_scaled import port_taker

        port = port_taker(args.port_base)()
        conversations = [t for t in texts.values() if t][:60]
        bare = bare_rasa(args.model.resolve(), port, conversations, work)
        stack_ms = windows[0]["stack_cpu_ms_per_message"]
        cores = os.cpu_count() or 1
        summary = {
            "window": "bare rasa",
            **label,
            "bare": bare,
            "stack_cpu_ms_per_message": stack_ms,
            "ratio_stack_to_bare_turn": round(stack_ms / max(0.1, bare["turn"]["cpu_ms"]), 2),
            "cpu_bound_ceiling_stack": round(1000 * cores / max(0.1, stack_ms), 1),
            "cpu_bound_ceiling_bare_turn": round(1000 * cores / max(0.1, bare["turn"]["cpu_ms"]), 1),
            "load_avg": os.getloadavg()[0],
        }
        print(f"\n== bare rasa run, same model: {json.dumps(bare)}")
        print(
            f"stack {stack_ms} ms/message vs bare REST turn {bare['turn']['cpu_ms']} ms: ratio "
            f"{summary['ratio_stack_to_bare_turn']}; CPU-bound ceilings on {cores} cores: stack "
            f"{summary['cpu_bound_ceiling_stack']} msg/s, bare Rasa {summary['cpu_bound_ceiling_bare_turn']} msg/s "
            f"(bare measured with 8 conversations at once: {bare['turn_x8']['per_second']} msg/s)",
            flush=True,
        )
        if args.json:
            with open(args.json, "a") as out:
                out.write(json.dumps(summary) + "\n")
    print(f"profiles and logs: {work}")


if __name__ == "__main__":
    main()
