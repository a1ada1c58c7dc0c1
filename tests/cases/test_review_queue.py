"""The trainers' review queue on SQLite and PostgreSQL: masking, dedup, review decisions."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, inspect, select

from cases.db import make_engine, make_session_factory
from cases.models import ReviewItem
from cases.review_queue import (
    ACCEPTED,
    DISCARDED,
    PENDING,
    ReviewFilters,
    Source,
    accept,
    counts_by_status,
    discard,
    enqueue,
    items_to_export,
    list_items,
    mark_exported,
    mask_text,
    validate_entities,
)
from tests.cases.factories import ticket


def _sessions(url):
    return make_session_factory(make_engine(url))


# -- pure -------------------------------------------------------------------------------------


def test_mask_text_hides_tagged_names_phones_and_ids_and_moves_the_other_spans():
    text = "โรงงานสมหวังเคมี ที่ระยอง ส่งกลิ่นเหม็น โทร 081-234-5678 บัตร 1-2345-67890-12-3"
    name = text.index("สมหวังเคมี")
    rayong = text.index("ระยอง")
    entities = [
        {"start": name, "end": name + len("สมหวังเคมี"), "entity": "subject_name", "value": "สมหวังเคมี"},
        {"start": rayong, "end": rayong + 5, "entity": "province", "value": "ระยอง"},
    ]
    masked, kept = mask_text(text, entities)
    assert "สมหวังเคมี" not in masked and "[subject_name]" in masked
    assert "081" not in masked and "[phone]" in masked
    assert "12345" not in masked.replace("-", "") and "[national-id]" in masked
    assert kept == [
        {"start": masked.index("ระยอง"), "end": masked.index("ระยอง") + 5, "entity": "province", "value": "ระยอง"}
    ]
    assert masked[kept[0]["start"] : kept[0]["end"]] == "ระยอง"


def test_mask_text_drops_invalid_and_overlapping_spans():
    masked, kept = mask_text(
        "กลิ่นเหม็นที่ชลบุรี",
        [
            {"start": 13, "end": 19, "entity": "province"},
            {"start": 14, "end": 16, "entity": "district"},  # inside the first
            {"start": 5, "end": 99, "entity": "date"},  # outside the text
        ],
    )
    assert masked == "กลิ่นเหม็นที่ชลบุรี"
    assert [e["entity"] for e in kept] == ["province"]


def test_validate_entities_checks_spans():
    text = "น้ำเสียที่ชลบุรี"
    start = text.index("ชลบุรี")
    assert validate_entities(text, [{"start": start, "end": start + 6, "entity": "province"}]) == [
        {"start": start, "end": start + 6, "entity": "province", "value": "ชลบุรี"}
    ]
    assert "outside" in validate_entities(text, [{"start": 0, "end": 99, "entity": "province"}])
    assert "unknown entity" in validate_entities(text, [{"start": 0, "end": 2, "entity": "phone"}])
    assert "start" in validate_entities(text, [{"start": "x", "end": 2, "entity": "province"}])
    both = [{"start": 0, "end": 5, "entity": "date"}, {"start": 3, "end": 6, "entity": "province"}]
    assert "overlap" in validate_entities(text, both)


# -- database ---------------------------------------------------------------------------------


def test_enqueue_masks_and_keeps_each_text_once(database_url):
    with _sessions(database_url).begin() as session:
        first = enqueue(
            session,
            text="โรงงานเหม็นมาก โทร 0812345678",
            source=Source.FALLBACK,
            predicted_intent="nlu_fallback",
            confidence=0.31,
        )
        assert first is not None and first.text == "โรงงานเหม็นมาก โทร [phone]"
        again = enqueue(
            session,
            text="  โรงงานเหม็นมาก   โทร 0899999999 ",
            source=Source.CITIZEN_CHOICE,
            predicted_intent="complaint_odor",
            confidence=0.5,
            corrected_intent="complaint_odor",
        )
        assert again.id == first.id
        assert again.occurrences == 2
        assert again.corrected_intent == "complaint_odor" and again.source == Source.CITIZEN_CHOICE
        assert session.scalar(select(func.count()).select_from(ReviewItem)) == 1
        assert enqueue(session, text="/affirm", source=Source.FALLBACK) is None
        assert enqueue(session, text="   ", source=Source.FALLBACK) is None


def test_enqueue_links_a_ticket_and_the_link_survives_its_deletion(database_url):
    with _sessions(database_url).begin() as session:
        t = ticket(session)
        item = enqueue(
            session,
            text="ส่งผิดหน่วยงาน",
            source=Source.OFFICER_REROUTE,
            predicted_intent="complaint_odor",
            ticket_id=t.id,
        )
        item_id = item.id
        session.delete(t)
    with _sessions(database_url).begin() as session:
        assert session.get(ReviewItem, item_id).ticket_id is None


def test_concurrent_enqueue_of_the_same_text_keeps_one_item(database_url):
    factory = _sessions(database_url)

    def work(_):
        with factory.begin() as session:
            enqueue(
                session,
                text="เสียงดังทั้งคืนเลย",
                source=Source.LOW_CONFIDENCE,
                predicted_intent="complaint_noise",
                confidence=0.4,
            )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(8)))
    with factory() as session:
        items = session.scalars(select(ReviewItem)).all()
        assert len(items) == 1 and items[0].occurrences == 8


def test_review_decisions_filters_and_export_marks(database_url):
    with _sessions(database_url).begin() as session:
        a = enqueue(
            session,
            text="น้ำดำไหลลงคลองที่ชลบุรี",
            source=Source.LOW_CONFIDENCE,
            predicted_intent="complaint_odor",
            confidence=0.45,
        )
        b = enqueue(session, text="ควันดำ", source=Source.FALLBACK, predicted_intent="nlu_fallback")
        c = enqueue(session, text="ถนนพัง", source=Source.FALLBACK, predicted_intent="nlu_fallback")
        start = a.text.index("ชลบุรี")
        assert (
            accept(
                session,
                item_id=a.id,
                reviewer="t1",
                intent="complaint_wastewater",
                entities=[{"start": start, "end": start + 6, "entity": "province"}],
            )
            is None
        )
        assert accept(session, item_id=b.id, reviewer="t1") == "unknown intent: nlu_fallback"
        assert accept(session, item_id=b.id, reviewer="t1", intent="bogus") == "unknown intent: bogus"
        assert accept(session, item_id=999999, reviewer="t1") == "no such item"
        assert (
            accept(
                session,
                item_id=b.id,
                reviewer="t1",
                intent="complaint_air_pollution",
                entities=[{"start": 0, "end": 50, "entity": "province"}],
            )
            is not None
        )
        assert b.status == PENDING  # nothing changed by a refused decision
        assert discard(session, item_id=c.id, reviewer="t1") is None

        assert a.status == ACCEPTED and a.label == "complaint_wastewater"
        assert a.entities == [{"start": start, "end": start + 6, "entity": "province", "value": "ชลบุรี"}]
        assert c.status == DISCARDED
        assert counts_by_status(session) == {PENDING: 1, ACCEPTED: 1, DISCARDED: 1}

        pending, total = list_items(session, filters=ReviewFilters())
        assert [i.id for i in pending] == [b.id] and total == 1
        by_intent, _ = list_items(session, filters=ReviewFilters(status=None, intent="complaint_wastewater"))
        assert [i.id for i in by_intent] == [a.id]
        by_source, total = list_items(session, filters=ReviewFilters(status=None, source=Source.FALLBACK))
        assert {i.id for i in by_source} == {b.id, c.id} and total == 2

        assert [i.id for i in items_to_export(session)] == [a.id]
        mark_exported(session, [a.id])
        assert items_to_export(session) == []
        # A new decision on an exported item exports it again.
        assert accept(session, item_id=a.id, reviewer="t2", intent="complaint_odor") is None
        assert [i.id for i in items_to_export(session)] == [a.id]


def test_review_items_table_is_migrated(database_url):
    columns = {c["name"] for c in inspect(make_engine(database_url)).get_columns("review_items")}
    assert {
        "text",
        "text_key",
        "source",
        "predicted_intent",
        "confidence",
        "corrected_intent",
        "entities",
        "status",
        "ticket_id",
        "created_at",
    } <= columns


def test_an_officer_reroute_queues_the_description_with_the_subject_masked(database_url):
    from cases.workflow import reroute

    with _sessions(database_url).begin() as session:
        t = ticket(
            session,
            description="บริษัทสุขใจเคมี ปล่อยกลิ่นเหม็น โทร 081 234 5678 บริษัทสุขใจเคมี",
            subject_name="บริษัทสุขใจเคมี",
            nlu_intent="complaint_odor",
            nlu_confidence=0.66,
        )
        assert reroute(session, ticket=t, to_agency="DIW", reason="อยู่ กทม.", actor="sup") is None
        [item] = session.scalars(select(ReviewItem)).all()
        assert item.source == Source.OFFICER_REROUTE and item.ticket_id == t.id
        assert item.text == "[subject_name] ปล่อยกลิ่นเหม็น โทร [phone] [subject_name]"
        assert (item.predicted_intent, item.confidence) == ("complaint_odor", 0.66)


def test_corruption_never_reaches_the_queue(database_url):
    from cases.taxonomy import Category
    from cases.workflow import reroute

    with _sessions(database_url).begin() as session:
        bribe = ticket(
            session, category=Category.CORRUPTION, description="เจ้าหน้าที่เรียกเงินใต้โต๊ะ", nlu_intent="complaint_corruption"
        )
        assert reroute(session, ticket=bribe, to_agency="OPS", reason="ไม่ใช่ทุจริต", actor="acoc") is None
        to_acoc = ticket(session, description="ขอใบอนุญาตแล้วถูกเรียกเงิน", nlu_intent="complaint_service")
        assert reroute(session, ticket=to_acoc, to_agency="ACOC", reason="ทุจริต", actor="sup") is None
        # A fallback the citizen then files as corruption leaves the queue again.
        enqueue(session, text="จ่ายเงินให้เจ้าหน้าที่แล้วงานเร็วขึ้น", source=Source.FALLBACK, predicted_intent="nlu_fallback")
        assert (
            enqueue(
                session,
                text="จ่ายเงินให้เจ้าหน้าที่แล้วงานเร็วขึ้น",
                source=Source.CITIZEN_CHOICE,
                corrected_intent="complaint_corruption",
            )
            is None
        )
        assert session.scalars(select(ReviewItem)).all() == []


def test_trainers_see_no_ticket_and_only_trainers_and_admins_may_train(database_url):
    from cases.access import Viewer, can_view
    from cases.accounts import Role
    from cases.ticket_queries import TicketFilters, list_tickets
    from tests.cases.factories import officer

    with _sessions(database_url).begin() as session:
        t = ticket(session)
        trainer = Viewer.of(officer(session, "trainer", "PIO-CBI", Role.TRAINER))
        assert list_tickets(session, viewer=trainer, filters=TicketFilters()).items == []
        assert not can_view(trainer, t)
        assert trainer.can_train
        assert Viewer.of(officer(session, "admin", "OPS", Role.ADMIN)).can_train
        for role in (Role.OFFICER, Role.SUPERVISOR):
            assert not Viewer.of(officer(session, f"x-{role.value}", "PIO-CBI", role)).can_train
