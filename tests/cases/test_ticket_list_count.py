"""The list counts its matches only as far as it must (SQLite and PostgreSQL)."""

from cases import ticket_queries
from cases.access import Viewer
from cases.db import make_engine, make_session_factory
from cases.ticket_queries import TicketFilters, list_tickets
from tests.cases.factories import officer, ticket


def test_count_is_exact_when_small_and_capped_when_large(database_url, monkeypatch):
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        viewer = Viewer.of(officer(session, "cbi", "PIO-CBI"))
        for _ in range(5):
            ticket(session)

        def page(**kw):  # type: ignore[no-untyped-def]
            return list_tickets(session, viewer=viewer, filters=TicketFilters(**kw))

        assert (page().total, page().total_exact) == (5, True)  # one page: no COUNT needed
        assert (page(page_size=2).total, page(page_size=2).total_exact) == (5, True)
        assert page(page=9, page_size=2).items == [] and page(page=9, page_size=2).total == 5
        assert page(q="ไม่มีคำนี้").total == 0
        monkeypatch.setattr(ticket_queries, "COUNT_LIMIT", 3)
        capped = page(page_size=2)
        assert (capped.total, capped.total_exact, len(capped.items)) == (3, False, 2)
    engine.dispose()
