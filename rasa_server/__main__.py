"""``python -m rasa_server run --model ... --endpoints ...``: ``python -m rasa`` with the
action server's answers checked by a validator built once (action_response.py) and the
false errors of buttons with entity payloads left out of the log (log_filters.py)."""

from __future__ import annotations

from rasa_server import log_filters
from rasa_server.action_response import install


def main() -> None:
    install()
    log_filters.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
