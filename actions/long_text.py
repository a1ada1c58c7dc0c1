"""Messages too long for the NLU keep their whole text in the ticket.

The LINE gateway sends Rasa at most the first MAX_RASA_TEXT_CHARS characters of a message
(gateway/turns.py) and the whole text in the message's metadata under
FULL_TEXT_METADATA_KEY; Rasa keeps that metadata on the user event. The slots (and the
summary) hold the prefix; at submission the description gets the whole texts back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Same key as gateway/turns.FULL_TEXT_METADATA_KEY (the actions do not
# import the gateway; a test checks the two agree).
FULL_TEXT_METADATA_KEY = "idee_full_text"


def cut_messages(events: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Prefix -> whole text of every user message the gateway cut (pure).

    Only metadata that extends the text Rasa read is taken: the prefix must start it.
    """
    found: dict[str, str] = {}
    for event in events:
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata")
        whole = metadata.get(FULL_TEXT_METADATA_KEY) if isinstance(metadata, Mapping) else None
        prefix = (event.get("text") or "").strip()
        if not isinstance(whole, str) or not prefix:
            continue
        whole = whole.strip()
        if len(whole) > len(prefix) and whole.startswith(prefix):
            found.setdefault(prefix, whole)
    return found


def with_whole_texts(description: str, events: Iterable[Mapping[str, Any]]) -> str:
    """The description with each cut prefix it contains replaced by the whole message (pure).

    The slot holds the first message, possibly followed by the detail asked for (both as the
    NLU read them), or the rewritten detail after an edit: whichever prefix is still in it is
    given its whole text back; a message no longer in the description stays out.
    """
    whole_of = cut_messages(events)
    if not whole_of:
        return description
    # One pass, so an inserted whole text is never searched again.
    pattern = re.compile("|".join(re.escape(p) for p in sorted(whole_of, key=len, reverse=True)))
    return pattern.sub(lambda match: whole_of[match.group(0)], description)
