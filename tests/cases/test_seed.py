from sqlalchemy import func, select

from cases.db import make_engine, make_session_factory
from cases.models import Ticket, TicketEvent
from cases.seed import seed


def test_seed_writes_routed_numbered_tickets(database_url):
    sessions = make_session_factory(make_engine(database_url))
    assert seed(sessions, tickets=120) == 120
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 120
        assert s.scalar(select(func.count(func.distinct(Ticket.tracking_number)))) == 120
        assert s.scalar(select(func.count()).select_from(TicketEvent)) >= 120
        assert s.scalar(select(func.count()).where(Ticket.confidential.is_(True))) == s.scalar(
            select(func.count()).where(Ticket.agency == "ACOC")
        )
