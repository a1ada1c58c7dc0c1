"""The load generator's bookkeeping (benchmarks/load.py): who may send next, lost, duplicated."""

from __future__ import annotations

import time

from benchmarks.load import MAX_TURNS, LoadRun, Sent


def a_run(**kwargs) -> LoadRun:  # type: ignore[no-untyped-def]
    return LoadRun(
        gateway_url="http://gw",
        fake_line_url="http://fake",
        channel_secret="s",
        rate=10,
        messages=100,
        think_seconds=0.0,
        **kwargs,
    )


def answer(run: LoadRun, user: str, text: str = "จังหวัดอะไรคะ") -> None:
    run._delivered(
        {"user_id": user, "timestamp": time.time(), "payload": {"messages": [{"type": "text", "text": text}]}}
    )


def send(run: LoadRun, now: float):  # type: ignore[no-untyped-def]
    citizen = run._idle_citizen(now)
    if citizen is not None:
        citizen.turn += 1
        record = Sent(citizen.user, citizen.turn, now)
        run.sent.append(record)
        run.pending[citizen.user].append(record)
    return citizen


def test_a_citizen_waiting_for_an_answer_is_not_picked_again():
    run = a_run()
    first = send(run, time.time())
    second = send(run, time.time())
    assert first is not None and second is not None and first.user != second.user


def test_an_answered_citizen_sends_the_next_turn_after_thinking():
    run = a_run()
    run.think = 5.0
    first = send(run, time.time())
    answer(run, first.user)
    assert send(run, time.time()).user != first.user  # still thinking: a new citizen starts
    assert send(run, time.time() + 6).user == first.user


def test_a_tracking_number_ends_the_conversation_and_frees_a_place():
    run = a_run(max_citizens=1)
    first = send(run, time.time())
    assert send(run, time.time()) is None  # at the cap
    answer(run, first.user, "รับเรื่องเรียบร้อยแล้วค่ะ เลขที่เรื่อง: IDEE-2026-000123")
    assert first.tracking == "IDEE-2026-000123"
    nxt = send(run, time.time() + 1)
    assert nxt is not None and nxt.user != first.user


def test_a_citizen_stops_after_the_last_turn():
    run = a_run(max_citizens=1)
    citizen = send(run, time.time())
    citizen.turn = MAX_TURNS - 1
    answer(run, citizen.user)
    last = send(run, time.time() + 1)
    assert last is citizen and citizen.turn == MAX_TURNS
    answer(run, citizen.user)
    assert send(run, time.time() + 2).user != citizen.user


def test_an_answer_nobody_waits_for_is_a_duplicate_and_silence_is_lost():
    run = a_run()
    run.started = time.time() - 1
    talker, _silent = send(run, time.time()), send(run, time.time())
    for record in run.sent:
        record.status, record.ack_ms = 200, 5.0
    answer(run, talker.user)
    answer(run, talker.user)
    report = run.report()
    assert (report.acknowledged, report.answered, report.lost, report.duplicated) == (2, 1, 1, 1)


def test_the_warm_up_window_is_left_out_of_latencies_but_not_of_the_counts():
    run = a_run(warmup_seconds=10)
    run.started = time.time() - 20
    early, late = send(run, run.started + 1), send(run, time.time())
    run.sent[0].sent_at, run.sent[1].sent_at = run.started + 1, time.time()
    run.sent[0].ack_ms, run.sent[1].ack_ms = 900.0, 5.0
    for record in run.sent:
        record.status = 200
    answer(run, early.user), answer(run, late.user)
    report = run.report()
    assert report.answered == 2 and report.ack_ms[99] == 5.0


def test_the_gateways_own_time_is_read_from_server_timing():
    from benchmarks.load import server_timing_ms

    assert server_timing_ms("app;dur=3.4") == 3.4
    assert server_timing_ms('db;dur=1, app;desc="x";dur=12') == 12.0
    assert server_timing_ms("db;dur=1") is None
    assert server_timing_ms("app;dur=abc") is None
    assert server_timing_ms(None) is None
