"""``python -m rasa_server run --model ... --endpoints ...`` (or ``train ...``): ``python -m
rasa`` with the action server's answers checked by a validator built once
(action_response.py), the false errors of buttons with entity payloads left out of the log
(log_filters.py) and the caller's warning filters kept in force (warning_filters.py)."""

from __future__ import annotations

from rasa_server import log_filters, warning_filters
from rasa_server.action_response import install


def main() -> None:
    warning_filters.install()
    install()
    log_filters.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
