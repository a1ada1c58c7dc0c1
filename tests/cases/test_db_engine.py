"""cases/db.py: errors of the case database never show personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from cases.db import make_engine

PHONE = "0812345678"


def test_a_failed_statement_does_not_show_its_parameters(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn, pytest.raises(StatementError) as failure:
        conn.execute(text("SELECT * FROM no_such_table WHERE phone = :phone"), {"phone": PHONE})
    assert PHONE not in str(failure.value)
    assert "hidden due to hide_parameters" in str(failure.value)
    engine.dispose()
