"""Duplicate detection (pure): category, subject or distance, window, open state, Thai text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cases.duplicates import (
    MAX_DISTANCE_KM,
    MIN_TEXT_SIMILARITY,
    WINDOW,
    CaseFacts,
    content_tokens,
    duplicate_match,
    find_duplicate,
    haversine_km,
    normalise_subject,
    text_similarity,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
# About 110 m per 0.001 degree of latitude.
LAT, LON = 13.3611, 100.9847


def case(**kw):  # type: ignore[no-untyped-def]
    values = dict(
        category="odor",
        description="โรงงานส่งกลิ่นเหม็นทุกคืน แสบจมูกมาก",
        created_at=NOW - timedelta(days=3),
        state="acknowledged",
        subject_name="บริษัท เอบีซี เคมีคอล จำกัด",
        latitude=LAT,
        longitude=LON,
        ticket_id=7,
    )
    values.update(kw)
    return CaseFacts(**values)


def complaint(**kw):  # type: ignore[no-untyped-def]
    values = dict(
        category="odor",
        description="กลิ่นเหม็นจากโรงงานตอนกลางคืน แสบจมูก",
        created_at=NOW,
        subject_name=None,
        latitude=LAT + 0.003,
        longitude=LON,
    )
    values.update(kw)
    return CaseFacts(**values)


def test_haversine_known_distances():
    assert haversine_km(LAT, LON, LAT, LON) == 0
    # One degree along a meridian, or along the equator: 111.19 km on the mean Earth.
    assert haversine_km(0, 100, 1, 100) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    # Bangkok (Victory Monument) to Chon Buri city, straight line: about 66 km.
    assert 60 < haversine_km(13.7649, 100.5383, 13.3611, 100.9847) < 70
    assert haversine_km(LAT, LON, LAT + 0.009, LON) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("บริษัท เอบีซี เคมีคอล จำกัด", "โรงงานเอบีซีเคมีคอล"),
        ("บจก. สยามพลาสติก", "สยาม พลาสติก จำกัด (มหาชน)"),
        ("ABC Chemical Co., Ltd.", "abc chemical"),
    ],
)
def test_subject_names_are_normalised(a, b):
    assert normalise_subject(a) == normalise_subject(b) is not None


def test_thai_marks_are_kept_in_subject_names():
    assert normalise_subject("เอบีซี") == "เอบีซี"
    assert normalise_subject("เอบีซี") != normalise_subject("เอบซ")
    assert normalise_subject("-") is None and normalise_subject("  ") is None


def test_thai_tokens_drop_stop_words_and_punctuation():
    tokens = content_tokens("โรงงานส่งกลิ่นเหม็น!! ที่ชลบุรี ค่ะ")
    assert {"โรงงาน", "เหม็น", "ชลบุรี"} <= tokens
    assert not tokens & {"ที่", "ค่ะ", "!!", " "}


def test_thai_text_similarity_sees_the_same_problem_in_other_words():
    same = text_similarity("โรงงานปล่อยน้ำเสียสีดำลงคลองหลังบ้าน", "น้ำในคลองดำ ปลาตาย เพราะโรงงานปล่อยน้ำเสีย")
    other = text_similarity("เสียงเครื่องจักรดังทั้งคืน นอนไม่หลับ", "โรงงานปล่อยน้ำเสียลงคลอง ปลาตาย")
    assert same >= MIN_TEXT_SIMILARITY > other
    assert text_similarity("", "โรงงาน") == 0.0


def test_nearby_similar_open_case_is_a_duplicate():
    match = duplicate_match(complaint(), case())
    assert match is not None
    assert match.ticket_id == 7 and not match.same_subject
    assert match.distance_km == pytest.approx(0.33, abs=0.02)


def test_same_subject_far_away_or_without_location_is_a_duplicate():
    far = complaint(subject_name="โรงงาน เอบีซีเคมีคอล", latitude=None, longitude=None)
    match = duplicate_match(far, case())
    assert match is not None and match.same_subject and match.distance_km is None


@pytest.mark.parametrize(
    "change",
    [
        {"category": "noise"},  # another category
        {"latitude": LAT + 0.02},  # about 2.2 km away and no subject
        {"latitude": None, "longitude": None},  # nothing ties the places together
        {"description": "สินค้าปลั๊กพ่วงไม่มี มอก. ขายในตลาดนัด"},  # different text
    ],
)
def test_not_a_duplicate_when_one_condition_fails(change):
    assert duplicate_match(complaint(**change), case()) is None


@pytest.mark.parametrize(
    "change",
    [
        {"state": "resolved"},
        {"state": "closed"},
        {"state": "rejected"},
        {"created_at": NOW - WINDOW - timedelta(hours=1)},
        {"confidential": True},
    ],
)
def test_only_open_recent_non_confidential_cases_match(change):
    assert duplicate_match(complaint(), case(**change)) is None


def test_reopened_case_still_matches_and_window_edge_is_inclusive():
    assert duplicate_match(complaint(), case(state="reopened")) is not None
    assert duplicate_match(complaint(), case(created_at=NOW - WINDOW)) is not None


def test_corruption_is_never_merged():
    text = "เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ ตอนยื่นขอใบอนุญาต"
    assert (
        duplicate_match(
            complaint(category="corruption", description=text),
            case(category="corruption", description=text),
        )
        is None
    )


def test_distance_threshold_is_the_named_constant():
    just_inside = LAT + (MAX_DISTANCE_KM - 0.05) / 111.2
    just_outside = LAT + (MAX_DISTANCE_KM + 0.05) / 111.2
    assert duplicate_match(complaint(latitude=just_inside), case(subject_name=None)) is not None
    assert duplicate_match(complaint(latitude=just_outside), case(subject_name=None)) is None


def test_find_duplicate_prefers_the_most_similar_then_the_nearest():
    loose = case(ticket_id=1, description="กลิ่นเหม็นมาก")
    close_text = case(ticket_id=2)
    far_same_text = case(ticket_id=3, latitude=LAT + 0.008)
    assert find_duplicate(complaint(), [loose, far_same_text, close_text]).ticket_id == 2
    assert find_duplicate(complaint(), []) is None
    assert find_duplicate(complaint(category="noise"), [close_text]) is None
