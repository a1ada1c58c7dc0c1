"""Apply Alembic migrations programmatically: ``python -m cases.migrate [upgrade|downgrade REV]``."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from settings import get_settings

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config(database_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def main(argv: list[str]) -> int:
    url = get_settings().database.sqlalchemy_url
    action = argv[0] if argv else "upgrade"
    if action == "upgrade":
        upgrade(url, argv[1] if len(argv) > 1 else "head")
    elif action == "downgrade":
        downgrade(url, argv[1] if len(argv) > 1 else "base")
    else:
        print("usage: python -m cases.migrate [upgrade [REV] | downgrade [REV]]", file=sys.stderr)
        return 2
    print(f"migrations: {action} done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
