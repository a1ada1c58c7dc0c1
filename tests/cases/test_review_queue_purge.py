"""A ticket that becomes confidential takes its items out of the trainers' queue: rerouted
to ACOC, recategorised as corruption, or filed as corruption after the citizen corrected the
category (its first message queued earlier as low confidence)."""

from sqlalchemy import select

from cases.db import make_engine, make_session_factory
from cases.models import ReviewItem
from cases.review_queue import ACCEPTED, Source, accept, enqueue
from cases.taxonomy import Category
from cases.workflow import recategorise, reroute
from tests.cases.factories import ticket

TEXT = "เจ้าหน้าที่โรงงานเรียกเงินห้าพันบาท ไม่งั้นไม่ออกใบอนุญาต"


def items(session) -> list[ReviewItem]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(ReviewItem)))


def test_a_reroute_to_acoc_purges_what_the_ticket_queued(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        t = ticket(session, description=TEXT)
        assert reroute(session, ticket=t, to_agency="PIO-CMI", reason="ผิดจังหวัด", actor="o") is None
        (queued,) = items(session)
        assert (
            accept(session, item_id=queued.id, reviewer="trainer", intent="complaint_odor") is None
            and queued.status == ACCEPTED
        )
        assert reroute(session, ticket=t, to_agency="ACOC", reason="เป็นเรื่องทุจริต", actor="o") is None
        assert items(session) == []  # accepted too: it would have been exported


def test_recategorising_as_corruption_purges_the_queue(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        t = ticket(session, description=TEXT)
        enqueue(session, text=TEXT, source=Source.LOW_CONFIDENCE, predicted_intent="complaint_odor", confidence=0.3)
        enqueue(session, text="อีกเรื่องหนึ่ง โรงงานเหม็น", source=Source.FALLBACK)
        assert len(items(session)) == 2
        error = recategorise(
            session, ticket=t, to_category=Category.CORRUPTION, reason="ทุจริต", actor="a", actor_agency="ACOC"
        )
        assert error is None and t.confidential
        assert [i.text for i in items(session)] == ["อีกเรื่องหนึ่ง โรงงานเหม็น"]


def test_a_ticket_filed_as_corruption_takes_its_first_message_out(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        # Queued while the NLU was unsure; the citizen then corrected the category in the form.
        enqueue(session, text=TEXT, source=Source.LOW_CONFIDENCE, predicted_intent="complaint_odor", confidence=0.3)
        t = ticket(session, category=Category.CORRUPTION, description=TEXT)
        assert t.confidential
        assert items(session) == []
