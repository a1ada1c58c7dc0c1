"""Personal data is masked in every log line: unit checks of the record masking, a whole
conversation through the gateway captured with caplog, and a real web-app process's log."""

from __future__ import annotations

import logging
import re
import time

import httpx
from uvicorn.logging import AccessFormatter

from cases.privacy import pseudonym
from gateway import signing
from cases.log_masking import LINE_ID, PersonalDataFilter, install_log_masking, mask_record, mask_text
from tests.support.web import Gateway, bound_socket, texts_of

PHONE = "081-234-5678"
NATIONAL_ID = "1-1037-02071-81-1"


def test_mask_text_pseudonymises_line_ids_and_masks_numbers():
    user = signing.new_user_id()
    group = "C" + "a" * 32
    text = f"user {user} in {group} called {PHONE}, id {NATIONAL_ID}"
    masked = mask_text(text)
    assert user not in masked and group not in masked
    assert pseudonym(user) in masked and pseudonym(group) in masked
    assert "[phone]" in masked and "[national-id]" in masked
    assert mask_text("webhook 3 events, 2 new stored") == "webhook 3 events, 2 new stored"


def _record(msg, args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info)


def test_arguments_of_any_type_are_masked_and_numbers_still_format():
    user = signing.new_user_id()
    record = mask_record(_record("%s %r %d %.1f %s", (user, {"to": user}, 7, 2.5, ValueError(PHONE))))
    line = record.getMessage()
    assert user not in line and PHONE not in line
    assert " 7 2.5 " in line
    assert mask_record(_record("%(who)s", ({"who": user},))).getMessage() == pseudonym(user)


def test_tracebacks_are_masked():
    user = signing.new_user_id()
    try:
        raise RuntimeError(f"push to {user} failed")
    except RuntimeError:
        import sys

        record = mask_record(_record("boom", (), sys.exc_info()))
    text = logging.Formatter().format(record)
    assert "push to u:" in text and user not in text


def test_uvicorn_access_lines_keep_their_shape():
    user = signing.new_user_id()
    record = mask_record(
        _record(
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", f"/simulator/api/messages?user_id={user}&after=0", "1.1", 200),
        )
    )
    line = AccessFormatter("%(client_addr)s %(request_line)s %(status_code)s", use_colors=False).format(record)
    assert user not in line and f"user_id={pseudonym(user)}" in line and line.endswith(" 200 OK")


def test_the_filter_masks_for_handlers_configured_elsewhere():
    user = signing.new_user_id()
    record = _record("to %s", (user,))
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == f"to {pseudonym(user)}"


def test_a_conversation_leaves_no_personal_data_in_the_logs(gateway: Gateway, caplog):
    install_log_masking()  # what create_app does; idempotent
    caplog.set_level(logging.DEBUG)
    access = logging.getLogger("uvicorn.access")
    access.addHandler(caplog.handler)
    try:
        user = signing.new_user_id()
        gateway.rasa.responder = lambda sender, message: [{"recipient_id": sender, "text": f"รับเรื่องแล้วค่ะ เบอร์ {PHONE}"}]
        logging.getLogger("gateway.test").info("citizen %s wrote %s", user, f"โทร {PHONE} เลขบัตร {NATIONAL_ID}")
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", f"/x?user_id={user}", "1.1", 200)
        for text in ("โรงงานส่งกลิ่นเหม็น", f"เบอร์ติดต่อ {PHONE}"):
            gateway.send_events(signing.text_event(user, text))
        deliveries = gateway.wait_for_deliveries(user, 2)
        assert PHONE in texts_of(deliveries[-1])[0]  # the citizen still sees it; only logs are masked
        time.sleep(0.2)
    finally:
        access.removeHandler(caplog.handler)
    lines = "\n".join(caplog.handler.format(r) for r in caplog.records)
    assert len(caplog.records) >= 4
    assert user not in lines and PHONE not in lines and NATIONAL_ID not in lines
    assert not LINE_ID.search(lines)
    assert pseudonym(user) in lines


def test_the_web_app_process_log_shows_no_user_id(tmp_path, new_sqlite_database):
    """The simulator polls /simulator/api/messages?user_id=U...: uvicorn's access log masks it."""
    from tools.processes import web_app
    from tests.support.web import closed_port_url

    url = new_sqlite_database("web.db")
    sock = bound_socket()
    port = sock.getsockname()[1]
    sock.close()
    process = web_app(
        port=port,
        log_dir=tmp_path,
        env={
            "DATABASE_URL": url,
            "RASA_URL": closed_port_url(),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "LINE_CHANNEL_SECRET": "",
            "LINE_CHANNEL_ACCESS_TOKEN": "",
        },
    )
    user = signing.new_user_id()
    process.start()
    try:
        process.wait_healthy(60)
        base = f"http://127.0.0.1:{port}"
        sent = httpx.post(f"{base}/simulator/api/send", json={"user_id": user, "text": f"โทร {PHONE} ค่ะ"}, timeout=10)
        assert sent.status_code == 200, sent.text
        polled = httpx.get(f"{base}/simulator/api/messages", params={"user_id": user}, timeout=10)
        assert polled.status_code == 200
        time.sleep(1.5)  # the intake worker logs that Rasa is down for this citizen
    finally:
        process.stop()
    log = (tmp_path / "web.log").read_text(errors="replace")
    assert "/simulator/api/messages?user_id=" in log  # the access log is on
    assert user not in log and PHONE not in log
    assert not re.search(r"U[0-9a-f]{32}", log)
    assert pseudonym(user) in log
