"""`make validate` counts a response as used when a form asks with it or the code names it."""

from __future__ import annotations

from pathlib import Path

from tools.validate_data import ROOT, intents_sent_by_taps, used_outside_dialogue

DOMAIN = """\
version: "3.1"
forms:
  complaint_form:
    required_slots:
      - province
responses:
  utter_ask_province:
  - text: "จังหวัดอะไรคะ"
  utter_sent_by_an_action:
  - text: "ส่งโดย action ค่ะ"
  utter_sent_by_the_gateway:
  - text: "ส่งโดย gateway ค่ะ"
  utter_in_a_rule_only:
  - text: "อยู่ใน rule ค่ะ"
  utter_forgotten:
  - text: "ไม่มีใครใช้ค่ะ"
"""


def test_forms_and_code_use_responses_and_nothing_else_does(tmp_path: Path):
    (tmp_path / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    for folder, line in (
        ("actions", 'dispatcher.utter_message(response="utter_sent_by_an_action")'),
        ("gateway", "wording.text('utter_sent_by_the_gateway')"),
        ("console", "# utter_forgotten in a comment is not a use"),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "code.py").write_text(line + "\n", encoding="utf-8")
    used = used_outside_dialogue(tmp_path / "domain.yml", root=tmp_path)
    assert used == {"utter_ask_province", "utter_sent_by_an_action", "utter_sent_by_the_gateway"}


def test_the_real_domain_has_responses_sent_by_code():
    used = used_outside_dialogue(ROOT / "bot" / "domain")
    assert {"utter_system_busy", "utter_ask_province", "utter_ticket_created"} <= used


TAPPED_DOMAIN = """\
version: "3.1"
intents:
  - greet
  - rate_ticket
  - factory_pick
  - typed_but_untrained
responses:
  utter_ask_rating:
  - text: "ให้คะแนนเท่าไหร่คะ"
    buttons:
    - title: "5"
      payload: '/rate_ticket{"rating": 5}'
"""


def test_intents_that_arrive_only_from_taps_are_known(tmp_path: Path):
    (tmp_path / "domain.yml").write_text(TAPPED_DOMAIN, encoding="utf-8")
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "code.py").write_text(
        'payload = f"/factory_pick{json.dumps(entities)}"\n# /typed_but_untrained in a comment is no button\n',
        encoding="utf-8",
    )
    assert intents_sent_by_taps(tmp_path / "domain.yml", root=tmp_path) == {"rate_ticket", "factory_pick"}
