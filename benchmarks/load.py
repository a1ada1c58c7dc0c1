"""Load benchmark: simulated citizens hold full complaint conversations on LINE.

Every message is a signed webhook to the real gateway; the fake LINE (gateway/dev/fake_line)
plays LINE and records each reply/push. A pacer sends ``--rate`` messages per second: it
picks a citizen whose last message was answered (thinking time included) or starts a new
citizen's complaint. Each citizen answers what the bot asks (province, name, consent, phone,
quick replies) until a tracking number comes back.

Measured: throughput, webhook ack latency and reply latency (send -> LINE got the answer)
p50/p95/p99, CPU and memory of the stack's processes (psutil) and the machine's load, lost
messages (acknowledged, never answered) and duplicated answers (a message answered twice),
and complaints confirmed vs tickets in the database.

    # start the scale-out topology itself (tools/run_scaled.py) and run 3,000 messages at 50/s
    python -m benchmarks.load --model /tmp/m/idee.tar.gz --rate 50 --messages 3000
    # find the ceiling: steps of rising rate until reply p95 passes 1 s
    python -m benchmarks.load --model /tmp/m/idee.tar.gz --ceiling 20,40,60,80,100 --step-seconds 40
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import json
import os
import platform
import random
import re
import signal
import statistics
import time
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from gateway.signing import new_reply_token, new_user_id, postback_event, signed_webhook, text_event

TRACKING = re.compile(r"IDEE-\d{4}-\d{6}")
OPENERS = [
    "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก",
    "โรงงานปล่อยน้ำเสียลงคลองหลังบ้านทุกวันค่ะ ปลาตายเยอะมาก",
    "เหมืองหินระเบิดเสียงดังตอนกลางคืนทุกคืนค่ะ บ้านร้าว",
    "โรงงานเสียงดังมากตลอดทั้งคืนเมื่อคืนนอนไม่ได้เลยค่ะ",
]
FREE_ANSWERS = {"จังหวัด": "ชลบุรีค่ะ", "เบอร์โทร": "0812345678", "ชื่อ": "ไม่ทราบ", "เมื่อไร": "ทุกคืนค่ะ"}
PREFERRED_BUTTONS = ["ยืนยัน", "ยินยอม", "ข้าม", "ไม่ทราบ", "โรงงาน"]
MAX_TURNS = 14


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def next_message(messages: list[dict[str, Any]]) -> tuple[str, str]:
    """What a cooperative citizen answers to the bot's last messages: ("text"|"postback", value)."""
    buttons = [item["action"] for m in messages for item in (m.get("quickReply") or {}).get("items", [])]
    text = "\n".join(m.get("text", "") for m in messages)
    labels = {b.get("label"): b for b in buttons}
    for label in PREFERRED_BUTTONS:
        if label in labels and labels[label].get("type") in ("postback", "message"):
            action = labels[label]
            return ("postback", action["data"]) if action["type"] == "postback" else ("text", action["text"])
    for cue, answer in FREE_ANSWERS.items():
        if cue in text:
            return "text", answer
    for action in buttons:
        if action.get("type") == "postback":
            return "postback", action["data"]
        if action.get("type") == "message":
            return "text", action["text"]
    return "text", "ไม่ทราบค่ะ"


def server_timing_ms(header: str | None) -> float | None:
    """The ``app`` duration of a ``Server-Timing`` header (web/server_timing.py)."""
    for metric in (header or "").split(","):
        name, *params = [part.strip() for part in metric.split(";")]
        if name == "app":
            for param in params:
                key, _, value = param.partition("=")
                if key == "dur":
                    try:
                        return float(value)
                    except ValueError:
                        return None
    return None


@dataclass
class Sent:
    user: str
    turn: int
    sent_at: float
    text: str = ""  # what the citizen sent (text or postback data), for replaying elsewhere
    ack_ms: float | None = None
    app_ms: float | None = None  # the gateway's own time (Server-Timing), without network and client
    status: int | None = None
    answers: list[float] = field(default_factory=list)  # LINE delivery times (epoch seconds)


@dataclass
class Citizen:
    user: str
    turn: int = 0
    last_messages: list[dict[str, Any]] = field(default_factory=list)
    ready_at: float = 0.0
    waiting: bool = False
    tracking: str | None = None


class LoadRun:
    """One load run against a running stack."""

    def __init__(
        self,
        *,
        gateway_url: str,
        fake_line_url: str,
        channel_secret: str,
        rate: float,
        messages: int,
        think_seconds: float = 1.0,
        answer_timeout: float = 120.0,
        max_citizens: int | None = None,
        warmup_seconds: float = 0.0,
    ) -> None:
        # Latency percentiles leave out what was sent in the first ``warmup_seconds`` (the
        # pacer's first burst of new conversations); lost/duplicated counts keep everything.
        self.warmup_seconds = warmup_seconds
        self.max_citizens = max_citizens  # at the cap, the pacer waits for a citizen to be free
        self.gateway_url = gateway_url
        self.fake_line_url = fake_line_url
        self.secret = channel_secret
        self.rate = rate
        self.total = messages
        self.think = think_seconds
        self.answer_timeout = answer_timeout
        self.sent: list[Sent] = []
        self.pending: dict[str, deque[Sent]] = defaultdict(deque)  # user -> messages not yet answered
        self.citizens: dict[str, Citizen] = {}
        self.extra: list[tuple[str, float]] = []  # deliveries with no message waiting: duplicates
        self.busy_texts = 0
        self.last_seq = 0
        self.started = 0.0
        self.finished_sending = 0.0
        self._http: aiohttp.ClientSession | None = None
        self.stop_sending = False
        self._ready: list[tuple[float, int, str]] = []  # (ready_at, order, user) of citizens free to send
        self._order = itertools.count()
        self._active: set[str] = set()  # citizens in a conversation (no tracking number, turns left)

    # --- sending ------------------------------------------------------------------
    @staticmethod
    def _in_conversation(citizen: Citizen) -> bool:
        return citizen.tracking is None and citizen.turn < MAX_TURNS

    def _free(self, citizen: Citizen) -> None:
        """The citizen may send again from ``citizen.ready_at``, or has finished."""
        citizen.waiting = False
        if self._in_conversation(citizen):
            self._active.add(citizen.user)
            heapq.heappush(self._ready, (citizen.ready_at, next(self._order), citizen.user))
        else:
            self._active.discard(citizen.user)

    def _idle_citizen(self, now: float) -> Citizen | None:
        """A citizen whose last message was answered (marked waiting at once), else a new one.

        O(log n): citizens free to send wait in a heap by the time they are ready (a scan of
        every citizen per message made the generator, not the stack, the bottleneck)."""
        while self._ready and self._ready[0][0] <= now:
            _, _, user = heapq.heappop(self._ready)
            citizen = self.citizens[user]
            if not citizen.waiting and self._in_conversation(citizen):
                citizen.waiting = True
                return citizen
        if self.max_citizens is not None and len(self._active) >= self.max_citizens:
            return None
        citizen = Citizen(user=new_user_id(), waiting=True)
        self.citizens[citizen.user] = citizen
        self._active.add(citizen.user)
        return citizen

    async def _send(self, citizen: Citizen) -> None:
        assert self._http is not None
        if citizen.turn == 0:
            kind, value = "text", random.choice(OPENERS)
        else:
            kind, value = next_message(citizen.last_messages)
        token = new_reply_token()
        citizen.turn += 1
        record = Sent(citizen.user, citizen.turn, time.time(), text=value)
        self.sent.append(record)
        self.pending[citizen.user].append(record)
        try:
            async with self._http.post(
                f"{self.fake_line_url}/_fake/reply-tokens", json={"reply_token": token, "user_id": citizen.user}
            ) as registered:
                await registered.read()
            event = (text_event if kind == "text" else postback_event)(citizen.user, value, reply_token=token)
            body, headers = signed_webhook(self.secret, event)
            started = time.perf_counter()
            record.sent_at = time.time()
            async with self._http.post(f"{self.gateway_url}/line/webhook", data=body, headers=headers) as response:
                await response.read()
                record.ack_ms = (time.perf_counter() - started) * 1000
                record.app_ms = server_timing_ms(response.headers.get("Server-Timing"))
                record.status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            record.status = None
        if record.status != 200:  # not acknowledged: LINE would redeliver; not counted as lost
            self.pending[citizen.user].remove(record)
            citizen.turn -= 1
            citizen.ready_at = time.time()
            self._free(citizen)

    async def _pace(self) -> None:
        interval = 1.0 / self.rate
        next_at = time.monotonic()
        tasks = set()
        for _ in range(self.total):
            if self.stop_sending:
                break
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_at += interval
            citizen = self._idle_citizen(time.time())
            while citizen is None and not self.stop_sending:
                await asyncio.sleep(0.05)
                next_at = time.monotonic()
                citizen = self._idle_citizen(time.time())
            if citizen is None:
                break
            task = asyncio.create_task(self._send(citizen))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.gather(*tasks)
        self.finished_sending = time.time()

    # --- receiving ----------------------------------------------------------------
    async def _poll_once(self) -> None:
        assert self._http is not None
        async with self._http.get(f"{self.fake_line_url}/_fake/messages", params={"after": self.last_seq}) as response:
            deliveries = (await response.json())["messages"]
        for delivery in deliveries:
            self.last_seq = max(self.last_seq, delivery["seq"])
            if delivery["kind"] not in ("reply", "push") or delivery["user_id"] not in self.citizens:
                continue
            self._delivered(delivery)

    def _delivered(self, delivery: dict[str, Any]) -> None:
        user = delivery["user_id"]
        messages = delivery["payload"].get("messages", [])
        text = "\n".join(m.get("text", "") for m in messages)
        citizen = self.citizens[user]
        if self.busy_text and text.strip() == self.busy_text:
            self.busy_texts += 1  # the one polite "working on it": the real answer follows
            return
        queue = self.pending[user]
        if not queue:
            self.extra.append((user, delivery["timestamp"]))
            return
        record = queue.popleft()
        record.answers.append(delivery["timestamp"])
        citizen.last_messages = messages
        citizen.ready_at = time.time() + self.think
        found = TRACKING.search(text)
        if found:
            citizen.tracking = found.group(0)
        if not queue:
            self._free(citizen)

    busy_text: str | None = None

    async def _poll(self, until) -> None:  # type: ignore[no-untyped-def]
        while not until():
            try:
                await self._poll_once()
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(0.05)

    async def run(self) -> "Report":
        # aiohttp, not httpx: httpx's connection pool spends O(waiting requests) of CPU per
        # request, so at 50 msg/s the generator, not the stack, became the bottleneck.
        connector = aiohttp.TCPConnector(limit=200)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
            self._http = http
            async with http.delete(f"{self.fake_line_url}/_fake/messages") as cleared:
                await cleared.read()
            self.started = time.time()
            sending = asyncio.create_task(self._pace())
            deadline = [float("inf")]

            def done() -> bool:
                if sending.done() and deadline[0] == float("inf"):
                    deadline[0] = time.time() + self.answer_timeout
                outstanding = sum(len(q) for q in self.pending.values())
                return sending.done() and (outstanding == 0 or time.time() > deadline[0])

            await self._poll(done)
            await asyncio.sleep(2)  # late duplicates show up here
            await self._poll_once()
            await sending
        return self.report()

    def report(self) -> "Report":
        acked = [s for s in self.sent if s.status == 200]
        measured = [s for s in acked if s.sent_at >= self.started + self.warmup_seconds]
        acks = [s.ack_ms for s in measured if s.ack_ms is not None]
        app_acks = [s.app_ms for s in measured if s.app_ms is not None]
        replies = [(s.answers[0] - s.sent_at) * 1000 for s in measured if s.answers]
        lost = [s for s in acked if not s.answers]
        send_seconds = max(1e-9, (self.finished_sending or time.time()) - self.started)
        answered_at = [s.answers[0] for s in acked if s.answers]
        answer_seconds = max(1e-9, (max(answered_at) if answered_at else time.time()) - self.started)
        return Report(
            rate_target=self.rate,
            sent=len(self.sent),
            acknowledged=len(acked),
            not_acknowledged=len(self.sent) - len(acked),
            answered=len(acked) - len(lost),
            lost=len(lost),
            duplicated=len(self.extra) + sum(max(0, len(s.answers) - 1) for s in acked),
            busy_notices=self.busy_texts,
            send_rate=len(self.sent) / send_seconds,
            answer_throughput=(len(acked) - len(lost)) / answer_seconds,
            ack_ms={p: round(percentile(acks, p), 1) for p in (50, 95, 99)},
            ack_app_ms={p: round(percentile(app_acks, p), 1) for p in (50, 95, 99)},
            reply_ms={p: round(percentile(replies, p), 1) for p in (50, 95, 99)},
            conversations=len(self.citizens),
            complaints_confirmed=len({c.tracking for c in self.citizens.values() if c.tracking}),
        )


@dataclass
class Report:
    rate_target: float
    sent: int
    acknowledged: int
    not_acknowledged: int
    answered: int
    lost: int
    duplicated: int
    busy_notices: int
    send_rate: float
    answer_throughput: float
    ack_ms: dict[int, float]
    reply_ms: dict[int, float]
    conversations: int
    complaints_confirmed: int
    tickets_in_db: int | None = None
    cpu: dict[str, Any] = field(default_factory=dict)
    ack_app_ms: dict[int, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"target {self.rate_target:g} msg/s: sent {self.sent} ({self.send_rate:.1f}/s), acknowledged {self.acknowledged}, "
            f"answered {self.answered} ({self.answer_throughput:.1f}/s)",
            f"ack ms p50/p95/p99: {self.ack_ms[50]} / {self.ack_ms[95]} / {self.ack_ms[99]}",
            "ack ms inside the gateway (Server-Timing) p50/p95/p99: "
            + " / ".join(str(self.ack_app_ms.get(p)) for p in (50, 95, 99)),
            f"reply ms p50/p95/p99: {self.reply_ms[50]} / {self.reply_ms[95]} / {self.reply_ms[99]}",
            f"lost {self.lost}, duplicated {self.duplicated}, busy notices {self.busy_notices}, not acknowledged {self.not_acknowledged}",
            f"conversations {self.conversations}, complaints confirmed {self.complaints_confirmed}, new tickets in DB {self.tickets_in_db}",
            f"cpu/memory: {json.dumps(self.cpu, ensure_ascii=False)}",
        ]


class ResourceSampler:
    """CPU seconds and peak RSS of the stack's process trees, and the machine's load."""

    def __init__(self, pids: list[int]) -> None:
        import psutil

        self._psutil = psutil
        self.pids = pids
        self.peak_rss = 0
        self.loads: list[float] = []
        self._start_cpu = self._cpu()
        self._start = time.monotonic()
        self._machine_start = psutil.cpu_times()

    def _procs(self):  # type: ignore[no-untyped-def]
        out = []
        for pid in self.pids:
            try:
                parent = self._psutil.Process(pid)
                out += [parent, *parent.children(recursive=True)]
            except self._psutil.Error:
                pass
        return out

    def _cpu(self) -> float:
        total = 0.0
        for proc in self._procs():
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except self._psutil.Error:
                pass
        return total

    def sample(self) -> None:
        rss = 0
        for proc in self._procs():
            try:
                rss += proc.memory_info().rss
            except self._psutil.Error:
                pass
        self.peak_rss = max(self.peak_rss, rss)
        self.loads.append(os.getloadavg()[0])

    def summary(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self._start
        machine = self._psutil.cpu_times()
        busy = lambda t: t.user + t.system + t.nice + getattr(t, "irq", 0) + getattr(t, "softirq", 0)  # noqa: E731
        return {
            "stack_cpu_cores": round((self._cpu() - self._start_cpu) / elapsed, 2),
            "machine_cpu_cores_busy": round((busy(machine) - busy(self._machine_start)) / elapsed, 2),
            "cores": os.cpu_count(),
            "stack_peak_rss_mb": round(self.peak_rss / 2**20),
            "load_avg_1m_mean": round(statistics.mean(self.loads), 1) if self.loads else None,
        }


def count_tickets(database_url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from cases.models import Ticket

    engine = create_engine(database_url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Ticket))
    engine.dispose()
    return int(count or 0)


async def measured(run: LoadRun, pids: list[int]) -> Report:
    sampler = ResourceSampler(pids)

    async def sample() -> None:
        while True:
            sampler.sample()
            await asyncio.sleep(1)

    sampling = asyncio.create_task(sample())
    try:
        report = await run.run()
    finally:
        sampling.cancel()
    report.cpu = sampler.summary()
    return report


def write_trace(path: Path, rate: float, sent: list[Sent]) -> None:
    """One JSON line per message: which turn of its conversation, ack and reply latency."""
    with open(path, "a") as out:
        for record in sent:
            reply = (record.answers[0] - record.sent_at) * 1000 if record.answers else None
            out.write(
                json.dumps(
                    {
                        "rate": rate,
                        "turn": record.turn,
                        "sent_at": record.sent_at,
                        "ack_ms": record.ack_ms,
                        "app_ms": record.app_ms,
                        "status": record.status,
                        "reply_ms": reply,
                        "answers": len(record.answers),
                    }
                )
                + "\n"
            )


def busy_text() -> str:
    from gateway.responses import load_fallback_texts

    return load_fallback_texts("bot/domain").system_busy


def _stop_on_sigterm(signum, frame) -> None:  # type: ignore[no-untyped-def]
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="start tools/run_scaled.py's topology with this model")
    parser.add_argument("--gateway-url"), parser.add_argument("--fake-line-url"), parser.add_argument("--secret")
    parser.add_argument("--rasa", type=int, default=2)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--background-nice",
        type=int,
        default=10,
        help="niceness of Rasa, actions and workers (tools/run_scaled.py; 0: all equal)",
    )
    parser.add_argument(
        "--background-cpus",
        default="",
        help="comma-separated CPUs Rasa, actions and workers are pinned to (default: any)",
    )
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--ceiling", help="comma-separated rates, one step each, until reply p95 > 1 s")
    parser.add_argument("--step-seconds", type=float, default=40)
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=10,
        help="latency percentiles leave out messages sent in the first seconds of a run",
    )
    parser.add_argument("--max-citizens", type=int, help="at most this many conversations at once")
    parser.add_argument("--answer-timeout", type=float, default=600, help="seconds to wait for the last answers")
    parser.add_argument("--json", type=Path, help="append the reports as JSON lines here")
    parser.add_argument("--trace", type=Path, help="append every message (turn, ack, reply latency) as JSON lines here")
    parser.add_argument("--database-url", help="an already running stack's case database (ticket count)")
    parser.add_argument("--pids", default="", help="an already running stack's process ids (CPU, memory)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` stops the stack too, no orphans

    stack = None
    if args.model:
        from tools.run_scaled import CHANNEL_SECRET, ScaledConfig, ScaledStack

        stack = ScaledStack(
            ScaledConfig(
                model=args.model,
                work=Path("/tmp") / f"idee-load-{os.getpid()}",
                rasa=args.rasa,
                actions=args.actions,
                workers=args.workers,
                background_nice=args.background_nice,
                background_cpus=tuple(int(c) for c in args.background_cpus.split(",") if c),
            )
        ).start(timeout=900)
        gateway, fake, secret, pids = stack.gateway_url, stack.fake_line_url, CHANNEL_SECRET, stack.pids()
    else:
        gateway, fake, secret = args.gateway_url, args.fake_line_url, args.secret
        pids = [int(p) for p in args.pids.split(",") if p]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} on {platform.node()} "
        f"({os.cpu_count()} cores), {args.rasa} Rasa, {args.actions} actions, {args.workers} workers, "
        f"background niceness {args.background_nice if args.model else 'as started'}"
        + (f", background CPUs {args.background_cpus}" if args.background_cpus else "")
    )
    try:
        if args.warmup_seconds > 0:  # every Rasa server's first parses build its graph: not measured
            warm = LoadRun(
                gateway_url=gateway,
                fake_line_url=fake,
                channel_secret=secret,
                rate=2,
                messages=int(2 * args.warmup_seconds),
                answer_timeout=args.answer_timeout,
            )
            warm.busy_text = busy_text()
            print("warm-up (not measured): " + asyncio.run(warm.run()).lines()[0], flush=True)
        rates = [float(r) for r in args.ceiling.split(",")] if args.ceiling else [args.rate]
        for rate in rates:
            messages = int(rate * args.step_seconds) if args.ceiling else args.messages
            run = LoadRun(
                gateway_url=gateway,
                fake_line_url=fake,
                channel_secret=secret,
                rate=rate,
                messages=messages,
                answer_timeout=args.answer_timeout,
                max_citizens=args.max_citizens,
                warmup_seconds=args.warmup_seconds,
            )
            run.busy_text = busy_text()
            database_url = stack.case_db_url if stack is not None else args.database_url
            tickets_before = count_tickets(database_url) if database_url else 0
            report = asyncio.run(measured(run, pids))
            if database_url:
                report.tickets_in_db = count_tickets(database_url) - tickets_before
            print("\n".join(report.lines()), flush=True)
            print(f"(latency percentiles of messages sent after the first {args.warmup_seconds:g} s)", flush=True)
            if args.json:
                with open(args.json, "a") as out:
                    out.write(
                        json.dumps({"at": time.time(), "workers": args.workers, "rasa": args.rasa, **asdict(report)})
                        + "\n"
                    )
            if args.trace:
                write_trace(args.trace, rate, run.sent)
            if args.ceiling and report.reply_ms[95] > 1000:
                print(f"ceiling: reply p95 passed 1 s at {rate:g} msg/s")
                break
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
