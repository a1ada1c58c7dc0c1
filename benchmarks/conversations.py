"""Conversation benchmark: the scripted corpus in tests/conversations/ through the real stack.

A trained model in a real Rasa server, the real action server, the real web app (LINE
gateway, durable intake) and the fake LINE platform, all on loopback; every citizen turn is a
signed webhook with a fresh reply token, and what the bot says is read back from fake LINE.

How a script is played (tests/conversations/README.md has the fields):
  * the `say` messages are sent first, in order, one per turn, whatever the bot asked
    (a citizen types what they want to say, not what was asked);
  * then, while no ticket exists, the bot's open question (recognised by its wording in the
    Rasa domain: `utter_ask_<slot>`, the summary, the category picker) is answered from the
    script's `answers` for that question, in order when it is a list, else from
    DEFAULT_ANSWERS (a neutral citizen: "ไม่ทราบ", skip the photo, anonymous, confirm);
  * it stops at a ticket, at MAX_TURNS, or when the bot asks nothing it can answer.

Figures: citizen turns to a tracking number (median, p90; from `count_from`, a conversation
that ends without its ticket counts as MAX_TURNS), fields correct (each `expect` field of
each conversation, read from the ticket row), questions asked about something already said
(a question about a `given` fact after the turn that said it), emergency numbers in the
first reply (emergency conversations), and the `reply_contains` checks.

    .venv/app/bin/python -m benchmarks.conversations --model models/x.tar.gz [--only ID ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import create_engine, text

from cases.migrate import upgrade
from gateway.signing import new_reply_token, new_user_id, postback_event, signed_webhook, text_event
from tools.processes import (
    APP_PYTHON,
    ROOT,
    ManagedProcess,
    action_server,
    base_env,
    rasa_server,
    stop_all,
    web_app,
)

CORPUS = ROOT / "tests" / "conversations"
DOMAIN = ROOT / "bot" / "domain"
CHANNEL_SECRET = "bench-channel-secret"
ACCESS_TOKEN = "bench-access-token"
MAX_TURNS = 16
EMERGENCY_NUMBERS = ("199", "1669")

DEFAULT_ANSWERS: dict[str, Any] = {
    "province": "ไม่ทราบค่ะ",
    "description_detail": "ส่งผลกระทบกับคนในชุมชนมากค่ะ",
    "subject_name": "ไม่ทราบค่ะ",
    "subject_type": {"press": "ไม่ทราบ"},
    "occurred_text": "ไม่แน่ใจค่ะ",
    "evidence": {"press": "ข้าม"},
    "anonymous": {"press": "ไม่ประสงค์ออกนาม"},
    "pdpa_consent": {"press": "ไม่ประสงค์ออกนาม"},
    "contact_phone": {"press": "ไม่ประสงค์ออกนาม"},
    "confirm_complaint": {"press": "ยืนยัน"},
    "edit_field": {"press": "สถานที่"},
}
EXACT_FIELDS = {"category", "province", "priority", "subject_type", "anonymous", "phone"}
COLUMN = {"phone": "contact_phone"}


def question_markers() -> list[tuple[str, str]]:
    """(start of a question's wording, the question) from the Rasa domain, so the runner
    follows rewording. A reply's last recognised message is the open question."""
    markers: list[tuple[str, str]] = []
    for path in sorted(DOMAIN.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variants in responses.items():
            if name.startswith("utter_ask_"):
                question = name.removeprefix("utter_ask_")
            elif name.startswith("utter_confirm_complaint"):
                question = "confirm_complaint"
            elif name == "utter_clarify_category":
                question = "clarify"
            else:
                continue
            for variant in variants:
                start = (variant.get("text") or "").strip()[:24]
                if start and "{" not in start:
                    markers.append((start, question))
    return markers


def texts(deliveries: list[dict]) -> list[str]:
    return [m.get("text") or m.get("altText", "") for d in deliveries for m in d["payload"]["messages"]]


def quick_replies(deliveries: list[dict]) -> list[dict]:
    items: list[dict] = []
    for d in deliveries:
        for m in d["payload"]["messages"]:
            items += (m.get("quickReply") or {}).get("items", [])
    return [i["action"] for i in items]


@dataclass
class Result:
    id: str
    kind: str
    turns: int = 0
    ticket: dict | None = None
    first_reply: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)
    asked: list[tuple[int, str]] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    fields_ok: int = 0
    fields_total: int = 0
    wrong: list[str] = field(default_factory=list)
    contains_ok: int = 0
    contains_total: int = 0
    stopped: str = ""


class Bench:
    def __init__(self, fake_url: str, gateway_url: str, database_url: str) -> None:
        self.fake_url = fake_url
        self.gateway_url = gateway_url
        self.engine = create_engine(database_url)
        self.markers = question_markers()

    def deliveries(self, http: httpx.Client, user_id: str) -> list[dict]:
        response = http.get(f"{self.fake_url}/_fake/messages", params={"user_id": user_id})
        response.raise_for_status()
        return [m for m in response.json()["messages"] if m["kind"] in ("reply", "push")]

    def turn(self, http: httpx.Client, user_id: str, event: dict, timeout: float = 90) -> list[dict]:
        last_seq = max((m["seq"] for m in self.deliveries(http, user_id)), default=0)
        http.post(
            f"{self.fake_url}/_fake/reply-tokens",
            json={"reply_token": event["replyToken"], "user_id": user_id},
        ).raise_for_status()
        body, headers = signed_webhook(CHANNEL_SECRET, event)
        response = http.post(f"{self.gateway_url}/line/webhook", content=body, headers=headers)
        response.raise_for_status()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(m["seq"] > last_seq for m in self.deliveries(http, user_id)):
                time.sleep(0.3)  # a late push for the same turn
                return [m for m in self.deliveries(http, user_id) if m["seq"] > last_seq]
            time.sleep(0.15)
        return []

    def question(self, reply: list[dict]) -> str | None:
        found = None
        for message in texts(reply):
            for start, question in self.markers:
                if message.strip().startswith(start):
                    found = question
        return found

    def ticket(self, user_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(text("SELECT * FROM tickets WHERE line_user_id = :u ORDER BY id DESC"), {"u": user_id})
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def event(self, user_id: str, item: Any, reply: list[dict]) -> tuple[dict, str]:
        token = new_reply_token()
        if isinstance(item, dict) and "press_data" in item:
            wanted = f'"{item["press_data"]}"'
            action = next((a for a in quick_replies(reply) if wanted in (a.get("data") or "")), None)
            if action is None:
                action = next((a for a in quick_replies(reply) if "other" in (a.get("data") or "")), None)
            if action is not None:
                return postback_event(user_id, action["data"], reply_token=token), f"[{action.get('label')}]"
            return text_event(user_id, "อื่น ๆ", reply_token=token), "อื่น ๆ"
        if isinstance(item, dict) and "press" in item:
            label = item["press"]
            action = next((a for a in quick_replies(reply) if a.get("label") == label), None)
            if action and action.get("type") == "postback":
                return postback_event(user_id, action["data"], reply_token=token), f"[{label}]"
            if action and action.get("type") == "message":
                return text_event(user_id, action["text"], reply_token=token), action["text"]
            return text_event(user_id, label, reply_token=token), label
        return text_event(user_id, str(item), reply_token=token), str(item)

    def play(self, conversation: dict) -> Result:
        result = Result(conversation["id"], conversation.get("kind", ""))
        user_id = new_user_id()
        say = list(conversation.get("say") or [])
        answers = {k: (list(v) if isinstance(v, list) else [v]) for k, v in (conversation.get("answers") or {}).items()}
        given = conversation.get("given") or {}
        reply: list[dict] = []
        with httpx.Client(timeout=30) as http:
            while result.turns < MAX_TURNS:
                if say:
                    item = say.pop(0)
                else:
                    question = self.question(reply)
                    if question is None:
                        labels = [a.get("label") for a in quick_replies(reply)]
                        if "ใช่" in labels:
                            item = {"press": "ใช่"}
                        else:
                            result.stopped = "no question to answer"
                            break
                    elif question in answers:
                        queue = answers[question]
                        item = queue.pop(0) if len(queue) > 1 else queue[0]
                    elif question == "clarify":  # the category picker: the expected category's button
                        item = {"press_data": (conversation.get("expect") or {}).get("category", "other")}
                    elif question in DEFAULT_ANSWERS:
                        item = DEFAULT_ANSWERS[question]
                    else:
                        result.stopped = f"no answer for {question}"
                        break
                event, shown = self.event(user_id, item, reply)
                reply = self.turn(http, user_id, event)
                result.turns += 1
                said = "\n".join(texts(reply))
                result.transcript.append((shown, said))
                if result.turns == 1:
                    result.first_reply = said
                question = self.question(reply)
                if question:
                    result.asked.append((result.turns, question))
                    if question in given and given[question] <= result.turns:
                        result.repeated.append(f"{question}@{result.turns}")
                if not reply:
                    result.stopped = "no reply"
                    break
                result.ticket = self.ticket(user_id)
                if result.ticket:
                    break
        score(conversation, result)
        return result


def _matches(name: str, wanted: Any, ticket: dict) -> bool:
    value = ticket.get(COLUMN.get(name, name))
    if wanted == "none":
        return value in (None, "", "-")
    if name in EXACT_FIELDS:
        if isinstance(wanted, bool):
            return bool(value) is wanted
        return value == wanted
    return value is not None and str(wanted) in str(value)


def score(conversation: dict, result: Result) -> None:
    expect = dict(conversation.get("expect") or {})
    wants_ticket = expect.pop("ticket", True)
    if not wants_ticket:
        result.fields_total += 1
        if result.ticket is None:
            result.fields_ok += 1
        else:
            result.wrong.append("ticket filed")
    else:
        for name, wanted in expect.items():
            result.fields_total += 1
            if result.ticket is not None and _matches(name, wanted, result.ticket):
                result.fields_ok += 1
            else:
                got = None if result.ticket is None else result.ticket.get(COLUMN.get(name, name))
                result.wrong.append(f"{name}={got!r} (want {wanted!r})")
    everything = "\n".join(said for _, said in result.transcript)
    for needle in conversation.get("reply_contains") or []:
        result.contains_total += 1
        if needle in everything:
            result.contains_ok += 1
        else:
            result.wrong.append(f"reply lacks {needle!r}")


def load_corpus(only: list[str] | None = None) -> list[dict]:
    conversations: list[dict] = []
    for path in sorted(CORPUS.glob("*.yml")):
        conversations += yaml.safe_load(path.read_text()) or []
    ids = [c["id"] for c in conversations]
    assert len(ids) == len(set(ids)), "conversation ids must be unique"
    return [c for c in conversations if not only or c["id"] in only]


def percentile(values: list[int], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(p * (len(ordered) - 1))))
    return float(ordered[index])


def summary(conversations: list[dict], results: list[Result]) -> dict:
    by_id = {c["id"]: c for c in conversations}
    turns = []
    for r in results:
        expect = by_id[r.id].get("expect") or {}
        if expect.get("ticket", True) is False:
            continue
        start = by_id[r.id].get("count_from", 1)
        turns.append(r.turns - start + 1 if r.ticket else MAX_TURNS)
    emergencies = [r for r in results if r.kind == "emergency"]
    fields_ok = sum(r.fields_ok for r in results)
    fields_total = sum(r.fields_total for r in results)
    return {
        "conversations": len(results),
        "tickets_expected": len(turns),
        "turns_median": statistics.median(turns) if turns else None,
        "turns_p90": percentile(turns, 0.9),
        "fields_correct": f"{fields_ok}/{fields_total} ({100 * fields_ok / max(1, fields_total):.1f}%)",
        "repeated_questions": sum(len(r.repeated) for r in results),
        "emergency_numbers_first_reply": (
            f"{sum(any(n in r.first_reply for n in EMERGENCY_NUMBERS) for r in emergencies)}/{len(emergencies)}"
        ),
        "reply_checks": f"{sum(r.contains_ok for r in results)}/{sum(r.contains_total for r in results)}",
    }


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stack_processes(model: Path, work: Path) -> tuple[list[ManagedProcess], Bench]:
    logs = work / "logs"
    database_url = f"sqlite:///{work / 'cases.db'}"
    upgrade(database_url)
    ports = {name: _free_port() for name in ("fake", "actions", "rasa", "web")}
    fake_url = f"http://127.0.0.1:{ports['fake']}"
    gateway_url = f"http://127.0.0.1:{ports['web']}"
    processes = [
        ManagedProcess(
            name="fake-line",
            argv=[str(APP_PYTHON), "-m", "gateway.dev.fake_line", "--port", str(ports["fake"])],
            env=base_env({}),
            health_url=f"{fake_url}/_fake/messages",
            log_path=logs / "fake-line.log",
        ),
        action_server(port=ports["actions"], log_dir=logs, env={"DATABASE_URL": database_url}),
        rasa_server(
            model=model,
            port=ports["rasa"],
            action_url=f"http://127.0.0.1:{ports['actions']}/webhook",
            log_dir=logs,
        ),
        web_app(
            port=ports["web"],
            log_dir=logs,
            env={
                "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
                "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
                "LINE_API_BASE_URL": fake_url,
                "LINE_DATA_API_BASE_URL": fake_url,
                "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
                "PUBLIC_BASE_URL": gateway_url,
                "DATABASE_URL": database_url,
            },
        ),
    ]
    return processes, Bench(fake_url, gateway_url, database_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--only", nargs="*", help="conversation ids")
    parser.add_argument("--parallel", type=int, default=3, help="conversations at a time")
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--transcripts", action="store_true", help="print each conversation")
    args = parser.parse_args(argv)
    conversations = load_corpus(args.only)
    work = Path(tempfile.mkdtemp(prefix="conversations-"))
    processes, bench = stack_processes(args.model.resolve(), work)
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.wait_healthy(timeout=300)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.parallel) as pool:
            results = list(pool.map(bench.play, conversations))
        elapsed = time.monotonic() - started
    finally:
        stop_all(processes)
    for r in results:
        flag = "ok " if not r.wrong and not r.repeated else "BAD"
        print(
            f"{flag} {r.id:34s} turns={r.turns:2d} fields={r.fields_ok}/{r.fields_total}"
            f" repeated={r.repeated or '-'} {r.stopped}"
        )
        for wrong in r.wrong:
            print(f"      {wrong}")
        if args.transcripts:
            for citizen, bot in r.transcript:
                print(f"    > {citizen}\n      " + bot.replace("\n", "\n      "))
    figures = summary(conversations, results)
    figures["seconds"] = round(elapsed, 1)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"figures": figures, "results": [r.__dict__ for r in results]},
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
    print(f"logs: {work / 'logs'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
