"""The intake on a real RabbitMQ (the machine's, a queue of our own per test): the web app
stores and enqueues, a gateway worker consumes and answers; the broker being down loses
nothing (the sweeper); several Rasa servers with failover (rasa_pool.py)."""

from __future__ import annotations

import time
import uuid

import pytest
from dramatiq import Worker

from gateway import signing
from gateway.broker import IntakeQueue
from gateway.rasa_client import RasaUnavailableError
from gateway.rasa_pool import RasaPool
from gateway.worker import GatewayWorker
from web.app import create_app
from tests.support.web import Gateway, closed_port_url, gateway_settings, serve, texts_of

BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
DEAD_BROKER_URL = "amqp://guest:guest@127.0.0.1:1/%2F"

pytestmark = pytest.mark.servers  # RabbitMQ


def delete_queue(name: str) -> None:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    channel = connection.channel()
    for queue in (name, f"{name}.DQ", f"{name}.XQ"):
        channel.queue_delete(queue)
    connection.close()


@pytest.fixture
def queue_name():
    name = f"test-intake-{uuid.uuid4().hex[:8]}"
    yield name
    delete_queue(name)


def test_published_ids_reach_the_consumer_and_a_delay_is_honoured(queue_name):
    got: list[tuple[int, float]] = []
    consumer = IntakeQueue(BROKER_URL, queue_name=queue_name, handler=lambda i: got.append((i, time.monotonic())))
    worker = Worker(consumer.broker, queues={queue_name}, worker_threads=2)
    worker.start()
    try:
        publisher = IntakeQueue(BROKER_URL, queue_name=queue_name)
        sent = time.monotonic()
        assert publisher.publish([1, 2, 3])
        assert publisher.publish([4], delay=__import__("datetime").timedelta(seconds=1.5))
        deadline = time.monotonic() + 20
        while len(got) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(i for i, _ in got) == [1, 2, 3, 4]
        delayed_at = dict(got)[4]
        assert delayed_at - sent >= 1.4
        publisher.close()
    finally:
        worker.stop()
        consumer.close()


def test_a_dead_broker_is_reported_fast_and_then_skipped():
    queue = IntakeQueue(DEAD_BROKER_URL, queue_name="never-used", retry_after=30)
    started = time.monotonic()
    assert queue.publish([1]) is False
    first = time.monotonic() - started
    started = time.monotonic()
    assert queue.publish([2]) is False
    assert time.monotonic() - started < 0.01  # skipped while marked down
    assert first < 10


@pytest.fixture
def broker_env(monkeypatch, queue_name):
    def use(url: str) -> None:
        monkeypatch.setenv("INTAKE_BROKER_URL", url)
        monkeypatch.setenv("INTAKE_QUEUE_NAME", queue_name)

    return use


def start_worker(case_database: str, queue_name: str, settings) -> GatewayWorker:  # type: ignore[no-untyped-def]
    worker = GatewayWorker(
        settings.replacing(
            DATABASE_URL=case_database,
            INTAKE_BROKER_URL=BROKER_URL,
            INTAKE_QUEUE_NAME=queue_name,
            INTAKE_SWEEP_SECONDS=0.5,
            INTAKE_SWEEP_GRACE_SECONDS=0.5,
            INTAKE_WORKER_THREADS=2,
        )
    )
    worker.start()
    return worker


def test_webhook_enqueues_and_a_worker_process_answers_in_order(
    stub_rasa, fake_line_url, domain_file, case_database, broker_env, queue_name
):
    stub, rasa_url = stub_rasa
    stub.responder = lambda sender, message: (
        time.sleep(0.3 if message == "หนึ่ง" else 0) or [{"recipient_id": sender, "text": message}]
    )
    broker_env(BROKER_URL)
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=rasa_url, DOMAIN_PATH=str(domain_file))
    worker = start_worker(case_database, queue_name, settings)
    try:
        with serve(create_app(settings)) as url:
            gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)
            user_id = signing.new_user_id()
            for word in ("หนึ่ง", "สอง", "สาม"):  # three webhooks: three messages on the queue
                assert gateway.send_events(signing.text_event(user_id, word)).status_code == 200
            deliveries = gateway.wait_for_deliveries(user_id, count=3, timeout=20)
            assert [texts_of(d)[0] for d in deliveries] == ["หนึ่ง", "สอง", "สาม"]
            time.sleep(1.0)
            assert len(gateway.deliveries(user_id)) == 3  # answered once each
    finally:
        worker.stop()


def test_with_the_broker_down_events_are_stored_acknowledged_and_answered_later(
    stub_rasa, fake_line_url, domain_file, case_database, broker_env, queue_name
):
    stub, rasa_url = stub_rasa
    broker_env(DEAD_BROKER_URL)  # the web app cannot publish
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=rasa_url, DOMAIN_PATH=str(domain_file))
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)
        user_id = signing.new_user_id()
        started = time.monotonic()
        assert gateway.send_events(signing.text_event(user_id, "โรงงานส่งกลิ่นเหม็น")).status_code == 200
        assert time.monotonic() - started < 10
        time.sleep(1.0)
        assert gateway.deliveries(user_id) == []  # nobody consumes: no broker, no in-process worker
        worker = start_worker(case_database, queue_name, settings)  # the broker is "back"
        try:
            (answer,) = gateway.wait_for_deliveries(user_id, count=1, timeout=20)
            assert texts_of(answer) == ["echo: โรงงานส่งกลิ่นเหม็น"]
        finally:
            worker.stop()


async def test_rasa_pool_fails_over_only_when_a_server_cannot_be_reached(stub_rasa):
    stub, rasa_url = stub_rasa
    pool = RasaPool([closed_port_url(), rasa_url], 5)
    try:
        for _ in range(4):  # whichever server comes first, the live one answers
            assert await pool.send("u", "สวัสดี") == [{"recipient_id": "u", "text": "echo: สวัสดี"}]
        stub.status_code = 500  # reached but failed: not re-sent elsewhere (it may have been handled)
        with pytest.raises(RasaUnavailableError):
            await pool.send("u", "x")
        assert sum(1 for r in stub.received if r["message"] == "x") == 1
    finally:
        await pool.close()


async def test_rasa_pool_skips_a_rasa_whose_action_server_is_down(stub_rasa):
    stub, rasa_url = stub_rasa
    pool = RasaPool([rasa_url], 5, [closed_port_url() + "/health"])
    try:
        with pytest.raises(RasaUnavailableError, match="action server down"):
            await pool.send("u", "x")
        assert stub.received == []
    finally:
        await pool.close()
