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
