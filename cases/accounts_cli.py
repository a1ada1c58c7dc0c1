"""Create console accounts: ``python -m cases.accounts_cli create-admin --username admin``.

The password comes from ``IDEE_PASSWORD`` or is asked for on the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from cases.accounts import AccountError, Role, create_officer
from cases.db import make_engine, make_session_factory
from settings import get_settings


def _password() -> str:
    if os.environ.get("IDEE_PASSWORD"):
        return os.environ["IDEE_PASSWORD"]
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise AccountError("the passwords differ")
    return first


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m cases.accounts_cli")
    sub = parser.add_subparsers(dest="command", required=True)
    admin = sub.add_parser("create-admin", help="create an administrator (agency OPS by default)")
    admin.add_argument("--username", required=True)
    admin.add_argument("--agency", default="OPS")
    officer = sub.add_parser("create-officer", help="create an officer or supervisor")
    officer.add_argument("--username", required=True)
    officer.add_argument("--agency", required=True)
    officer.add_argument("--role", choices=[r.value for r in Role], default=Role.OFFICER.value)
    officer.add_argument("--display-name")
    args = parser.parse_args(argv)

    role = Role.ADMIN if args.command == "create-admin" else Role(args.role)
    sessions = make_session_factory(make_engine(get_settings().database.sqlalchemy_url))
    try:
        with sessions.begin() as session:
            account = create_officer(
                session,
                username=args.username,
                password=_password(),
                agency=args.agency,
                role=role,
                display_name=getattr(args, "display_name", None),
                actor=f"cli:{getpass.getuser()}",
            )
            print(f"created {account.role} {account.username} of {account.agency}")
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
