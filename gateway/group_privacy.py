"""What a LINE group or room may not see: a citizen's list of complaints and a case's status.

Anyone in the group would read them (a corruption report among them). The actions answer
the same way in any chat, so the gateway withholds those answers in a group: a Rasa message
that begins like one of ``PRIVATE_RESPONSES`` (the fixed text before the template's first
``{slot}``, read from the domain, so a reworded response is still recognised) is replaced by
``utter_private_in_group``. Pure functions; the domain is read once at start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cases.domain_texts import Wording

PRIVATE_IN_GROUP_KEY = "utter_private_in_group"
# "my complaints" (the list and its lines) and a case's status.
PRIVATE_RESPONSES = ("utter_my_tickets", "utter_my_ticket_line", "utter_ticket_status")
MIN_PREFIX_CHARS = 4  # shorter fixed text would match ordinary answers


def private_prefixes(wording: Wording) -> tuple[str, ...]:
    """The fixed beginnings of the private responses' variants."""
    found = []
    for name in PRIVATE_RESPONSES:
        for text in wording.variant_texts(name):
            prefix = text.split("{", 1)[0].strip()
            if len(prefix) >= MIN_PREFIX_CHARS:
                found.append(prefix)
    return tuple(found)


def withhold_in_group(
    rasa_messages: Iterable[Mapping[str, Any]], prefixes: tuple[str, ...], notice: str
) -> list[Mapping[str, Any]]:
    """Replace each private answer with ``notice`` (once per turn); the rest is kept."""
    result: list[Mapping[str, Any]] = []
    noticed = False
    for message in rasa_messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip().startswith(prefixes):
            if not noticed:
                result.append({"text": notice})
                noticed = True
            continue
        result.append(message)
    return result
