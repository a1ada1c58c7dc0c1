from sqlalchemy import create_engine, inspect

from cases.db import make_engine
from cases.migrate import downgrade, upgrade


def test_migrations_go_down_and_up_again(database_url):
    engine = make_engine(database_url)
    assert {"tickets", "ticket_events", "referrals", "tracking_counters"} <= set(inspect(engine).get_table_names())
    downgrade(database_url)
    assert "tickets" not in inspect(create_engine(database_url)).get_table_names()
    upgrade(database_url)
    assert "tickets" in inspect(make_engine(database_url)).get_table_names()


def _ticket_indexes(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'tickets'"
    )
    with engine.connect() as connection:
        names = set(connection.exec_driver_sql(query).scalars())
    engine.dispose()
    return names


def test_the_urgent_first_index_is_there_at_the_head(database_url):
    # SQLite's batch migrations rebuild the table without indexes of an expression.
    assert "ix_tickets_urgent_first" in _ticket_indexes(database_url)
