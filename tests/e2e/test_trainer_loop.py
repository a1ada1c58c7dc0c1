"""The trainers' loop over real processes.

A message the live model misreads in a real LINE conversation lands in the review queue; a
trainer relabels it; ``training.export`` writes it into (a copy of) data/; the live model is
fine-tuned on it (a fraction of the e2e epochs of conftest.py); ``training.compare`` gates
it against the live model on the held-out file; ``training.hot_swap`` loads it into the
running Rasa server; the same message is then understood, and a conversation that was half way through the complaint
form before the swap carries on after it.

It runs on the shared end-to-end stack, whose Rasa keeps conversations in a persistent
(SQLite) tracker store: Rasa's ``PUT /model`` builds a new agent, and only a tracker store
outside the agent keeps conversations across the swap. Afterwards the stack serves the base
model again. The loop's duration is printed (``-s``) and measured from the citizen's message
to the same message understood by the swapped-in model.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from cases.db import make_engine, make_session_factory
from cases.models import NluModelDeployment, ReviewItem
from cases.review_queue import accept, text_key
from gateway.signing import new_user_id, postback_event, text_event
from tests.e2e.conftest import Stack, e2e_config
from tools.processes import APP_PYTHON, RASA_PYTHON, ROOT, base_env
from training.hot_swap import swap_one
from training.versioning import data_hash, model_info, version_name

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"  # held-out texts are never exported
FINETUNE_EPOCH_FRACTION = 0.2  # of config.yml's epochs, for the fine-tuning retrain

# Messages a trainer could meet: wording the training data does not have. The first one the
# live model sends to the review queue (a fallback, or an unsure wrong complaint intent) is
# used; which one depends on the data of the day, so the test asks the model first.
CANDIDATES = [
    ("ขี้เถ้าดำๆ ปลิวมาเกาะรถทุกเช้า ช่วงนี้ไร่แถวบ้านเขากำลังตัดกัน", "complaint_sugarcane"),
    ("แสบตาแสบคอทุกครั้งที่ลมพัดมาจากฝั่งนิคม", "complaint_air_pollution"),
    ("ลำห้วยหลังบ้านกลายเป็นสีส้ม มีฟองขาวๆ ลอยเต็มไปหมด", "complaint_wastewater"),
    ("ผ้าที่ตากไว้มีคราบเหลืองทุกวัน ลมพัดมาจากปล่องฝั่งโน้น", "complaint_air_pollution"),
    ("บ่อทรายข้างนาขุดลึกจนคันนาพังลงไปหมดแล้ว", "complaint_mining"),
    ("ซื้อพัดลมมาใช้ได้สองวันมอเตอร์ไหม้ ไม่มีตราอะไรเลย", "complaint_product_standard"),
    ("หัวหน้าคนงานบอกว่าถ้าอยากได้งานต้องจ่ายใต้โต๊ะก่อน", "complaint_corruption"),
    ("ตึกแถวหลังตลาดเปิดเป็นที่หลอมตะกั่วแบบลับๆ ไม่มีป้ายอะไร", "complaint_unlicensed_factory"),
]
KEEPER_COMPLAINT = "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก"
REVIEW_THRESHOLD = 0.8  # CLARIFY_REVIEW_THRESHOLD's default (settings/)
CLARIFY_THRESHOLD = 0.6  # CLARIFY_THRESHOLD's default: below it the bot asks which category


@dataclass
class LoopStack:
    stack: Stack
    rasa_url: str
    database_url: str
    work: Path


@pytest.fixture(scope="module")
def base_model(trained_model) -> Path:
    """The live model of the day: the one the shared stack serves."""
    return trained_model


@pytest.fixture(scope="module")
def loop_stack(stack, base_model, tmp_path_factory) -> Iterator[LoopStack]:
    """The shared stack; afterwards its Rasa serves the base model again, as the other tests expect."""
    live_id = stack.rasa_api.get(f"{stack.rasa_url}/status").json()["model_id"]
    yield LoopStack(stack, stack.rasa_url, stack.database_url, tmp_path_factory.mktemp("trainer-loop"))
    swap_one(stack.rasa_api, stack.rasa_url, str(base_model), live_id)


def run(argv: list[str], env: dict[str, str], timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=ROOT, env=base_env(env), capture_output=True, text=True, timeout=timeout
    )


def pick_misread(loop: LoopStack) -> tuple[str, str, dict]:
    parses = []
    for text, target in CANDIDATES:
        parse = loop.stack.rasa_api.post(f"{loop.rasa_url}/model/parse", json={"text": text}).json()
        intent = parse["intent"]
        parses.append((text, target, intent["name"], round(intent["confidence"], 2)))
        queued = intent["name"] == "nlu_fallback" or (
            intent["name"].startswith("complaint_") and intent["confidence"] < REVIEW_THRESHOLD
        )
        # misread: a wrong intent, or the right one too unsure to act on (the bot asks instead)
        if queued and (intent["name"] != target or intent["confidence"] < CLARIFY_THRESHOLD):
            return text, target, intent
    pytest.fail(f"the live model reads every candidate right or confidently: add a candidate\n{parses}")


def tracker(loop: LoopStack, sender: str) -> dict:
    response = loop.stack.rasa_api.get(f"{loop.rasa_url}/conversations/{sender}/tracker")
    response.raise_for_status()
    return response.json()


def last_user_event(loop: LoopStack, sender: str) -> dict:
    return [e for e in tracker(loop, sender)["events"] if e["event"] == "user"][-1]


def queued_item(database_url: str, text: str, timeout: float = 30) -> ReviewItem:
    factory = make_session_factory(make_engine(database_url))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with factory() as session:
            item = session.scalars(select(ReviewItem).where(ReviewItem.text_key == text_key(text))).first()
        if item is not None:
            return item
        time.sleep(0.5)
    raise AssertionError(f"not in the review queue after {timeout}s: {text}")


def test_a_misread_message_is_understood_after_one_retrain_and_hot_swap(loop_stack, base_model):
    loop, timings = loop_stack, {}
    env = {"DATABASE_URL": loop.database_url, "RASA_URL": loop.rasa_url, "TRAINER_HELDOUT": str(HELDOUT)}
    live_id = loop.stack.rasa_api.get(f"{loop.rasa_url}/status").json()["model_id"]
    text, target, misread = pick_misread(loop)

    # A citizen half way through the complaint form: the swap must not lose them.
    keeper = new_user_id()
    opened = loop.stack.turn(keeper, text_event, KEEPER_COMPLAINT)
    if tracker(loop, keeper)["active_loop"].get("name") != "complaint_form":  # asked which category
        choice = next(
            item["action"]["data"]
            for d in opened
            for m in d["payload"]["messages"]
            for item in (m.get("quickReply") or {}).get("items", [])
            if '"odor"' in item["action"].get("data", "")
        )
        loop.stack.turn(keeper, postback_event, choice)
    assert tracker(loop, keeper)["active_loop"].get("name") == "complaint_form"

    # 1. the misread message, in a real conversation, lands in the review queue
    started = time.monotonic()
    citizen = new_user_id()
    loop.stack.turn(citizen, text_event, text)
    assert last_user_event(loop, citizen)["parse_data"]["intent"]["name"] == misread["name"]
    item = queued_item(loop.database_url, text)
    assert item.status == "pending" and (item.predicted_intent != target or item.confidence < CLARIFY_THRESHOLD)
    timings["queued"] = time.monotonic() - started

    # 2. a trainer relabels it (what the console's trainer page calls)
    factory = make_session_factory(make_engine(loop.database_url))
    with factory.begin() as session:
        assert accept(session, item_id=item.id, reviewer="trainer-e2e", intent=target) is None

    # 3. export into a copy of the training inputs (the repository's data/ is left alone)
    for name in ("data", "bot"):
        shutil.copytree(ROOT / name, loop.work / name, ignore=shutil.ignore_patterns("__pycache__"))
    e2e_config(loop.work / "config.yml")
    t0 = time.monotonic()
    exported = run([APP_PYTHON, "-m", "training.export", "--data", loop.work / "data"], env)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert text in (loop.work / "data" / "nlu" / "reviewed" / f"{target}.yml").read_text(encoding="utf-8")
    timings["export"] = time.monotonic() - t0

    # 4. retrain, versioned: idee-<date>-<hash of config, bot, data>. Fine-tuning the live model
    # on the exported data (Rasa's incremental training: same configuration and labels, a
    # fraction of the epochs) is what a trainer's daily correction needs, at a fraction of a
    # full training's time; the char n-gram blender refits in full either way.
    version = version_name(datetime.now(timezone.utc), data_hash(loop.work))
    t0 = time.monotonic()
    trained = run(
        [
            RASA_PYTHON,
            "-m",
            "rasa",
            "train",
            "--config",
            loop.work / "config.yml",
            "--domain",
            loop.work / "bot" / "domain",
            "--data",
            loop.work / "data",
            loop.work / "bot" / "dialogue",
            "--out",
            loop.work / "models",
            "--fixed-model-name",
            version,
            "--finetune",
            base_model,
            "--epoch-fraction",
            str(FINETUNE_EPOCH_FRACTION),
        ],
        {"RASA_MAX_CACHE_SIZE": "0"},
    )
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    candidate = loop.work / "models" / f"{version}.tar.gz"
    candidate_id = model_info(candidate).model_id
    assert candidate_id and candidate_id != live_id
    timings["train"] = time.monotonic() - t0

    # 5. the gate: candidate against the live model on the held-out file
    t0 = time.monotonic()
    gated = run([APP_PYTHON, "-m", "training.compare", "--candidate", candidate, "--current", base_model], env)
    print("\n" + gated.stdout + gated.stderr)
    assert gated.returncode in (0, 1), gated.stderr
    assert "macro-F1 (all intents)" in gated.stdout and target in gated.stdout
    force = []
    if gated.returncode == 1:  # a real refusal: the trainer reads it and may force (recorded)
        assert "refused" in gated.stdout and "✗" in gated.stdout
        force = ["--force"]
    timings["compare"] = time.monotonic() - t0

    # 6. hot swap into the running Rasa, then the same message is understood
    t0 = time.monotonic()
    swapped = run([APP_PYTHON, "-m", "training.hot_swap", "deploy", candidate, *force, "--by", "trainer-e2e"], env)
    assert swapped.returncode == 0, swapped.stdout + swapped.stderr
    assert loop.stack.rasa_api.get(f"{loop.rasa_url}/status").json()["model_id"] == candidate_id
    timings["swap"] = time.monotonic() - t0

    again = new_user_id()
    loop.stack.turn(again, text_event, text)
    understood = last_user_event(loop, again)
    assert understood["parse_data"]["intent"]["name"] == target, understood["parse_data"]["intent"]
    assert understood["parse_data"]["intent"]["confidence"] >= CLARIFY_THRESHOLD  # acted on, not asked
    assert understood["metadata"]["model_id"] == candidate_id  # what the submit action stores
    timings["loop"] = time.monotonic() - started

    # the conversation from before the swap carries on in its form
    loop.stack.turn(keeper, text_event, "ชลบุรีค่ะ")
    kept = tracker(loop, keeper)
    assert kept["active_loop"].get("name") == "complaint_form", kept["active_loop"]
    assert kept["slots"].get("province") == "ชลบุรี"
    assert KEEPER_COMPLAINT in [e.get("text") for e in kept["events"] if e["event"] == "user"]

    with factory() as session:
        deployment = session.scalars(select(NluModelDeployment)).one()
    assert (deployment.model_id, deployment.version) == (candidate_id, version)
    assert deployment.gate_verdict == ("accepted (forced)" if force else "accepted")

    summary = ", ".join(f"{k} {v:.0f}s" for k, v in timings.items())
    print(
        f"\ntrainer loop on {os.cpu_count()} cores: {summary}; message: {text!r} "
        f"{misread['name']} {misread['confidence']:.2f} -> {target}; gate: {deployment.gate_verdict}"
    )
