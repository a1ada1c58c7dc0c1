"""LINE's loading animation runs while Rasa thinks, and only when Rasa is asked."""

from __future__ import annotations

import asyncio

from gateway.responses import FallbackTexts
from gateway.service import LineGateway
from gateway.turns import Turn, TurnKind

USER = "U" + "c" * 32


class RecordingLine:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    async def show_loading(self, user_id: str, seconds: int = 20) -> None:
        self.calls.append(f"loading {user_id}")

    async def reply(self, reply_token: str, messages: list) -> None:
        self.calls.append(f"reply {len(messages)}")

    async def push(self, user_id: str, messages: list) -> None:
        self.calls.append(f"push {len(messages)}")

    async def close(self) -> None:
        pass


class SlowRasa:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    async def send(self, sender: str, text: str) -> list[dict]:
        self.calls.append(f"rasa {text}")
        await asyncio.sleep(0.01)
        return [{"recipient_id": sender, "text": "สวัสดีค่ะ"}]

    async def close(self) -> None:
        pass


def gateway(calls: list[str]) -> LineGateway:
    texts = FallbackTexts(unsupported_message="อ่านได้เฉพาะข้อความค่ะ", system_busy="ระบบไม่ว่างค่ะ")
    return LineGateway(rasa=SlowRasa(calls), line=RecordingLine(calls), texts=texts)  # type: ignore[arg-type]


def test_the_animation_starts_before_rasa_is_asked():
    calls: list[str] = []
    turn = Turn(USER, "reply-token", TurnKind.TO_RASA, "สวัสดีค่ะ")
    assert asyncio.run(gateway(calls).process(turn, busy_notified=False)) is True
    assert calls == [f"loading {USER}", "rasa สวัสดีค่ะ", "reply 1"]


def test_no_animation_for_a_fallback_answer():
    calls: list[str] = []
    turn = Turn(USER, "reply-token", TurnKind.UNSUPPORTED)
    assert asyncio.run(gateway(calls).process(turn, busy_notified=False)) is True
    assert calls == ["reply 1"]
