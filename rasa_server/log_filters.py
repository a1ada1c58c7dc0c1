"""Keep Rasa's log about what needs reading.

Rasa fills ``{slot}`` placeholders in every response, buttons included, so a button whose
payload carries an intent's entities (``/inform{"subject_type":"factory"}``, the LINE way
of answering with a tap) reads as a placeholder named ``"subject_type":"factory"``. No slot
can be named so: Rasa logs an ERROR with a traceback each time such a button is sent, then
sends the payload unchanged, which is what the domain means. Those records are dropped; a
real missing slot (a name without quotes) is still logged.
"""

from __future__ import annotations

import logging
import re

INTERPOLATOR_LOGGER = "rasa.core.nlg.interpolator"
# The placeholder key as Rasa's JSON renderer and its console renderer write it: a key
# that opens with a double quote is a JSON object in a payload, never a slot's name.
_JSON_PAYLOAD_KEY = re.compile(r"""placeholder_key(?:"\s*:\s*"\\"|='")""")


class EntityPayloadFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("interpolator.interpolate.text" in message and _JSON_PAYLOAD_KEY.search(message))


def install() -> None:
    logger = logging.getLogger(INTERPOLATOR_LOGGER)
    if not any(isinstance(f, EntityPayloadFilter) for f in logger.filters):
        logger.addFilter(EntityPayloadFilter())
