"""nlu/entity_merger.py: duplicate resolution and canonical values (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nlu.entity_merger import canonical_value, merge_entities


def ent(entity, start, end, value, extractor):
    return {"entity": entity, "start": start, "end": end, "value": value, "extractor": extractor}


def test_same_span_from_diet_and_regex_is_kept_once_regex_for_province():
    merged = merge_entities(
        [
            ent("province", 3, 9, "ชลบุรี", "DIETClassifier"),
            ent("province", 3, 9, "ชลบุรี", "RegexEntityExtractor"),
        ]
    )
    assert [(e["entity"], e["extractor"]) for e in merged] == [("province", "RegexEntityExtractor")]


def test_diet_wins_for_subject_name_and_longer_estate_beats_inner_province():
    text = "นิคมอุตสาหกรรมเหมราชชลบุรี"
    merged = merge_entities(
        [
            ent("industrial_estate", 0, len(text), text, "DIETClassifier"),
            ent("province", text.index("ชลบุรี"), len(text), "ชลบุรี", "RegexEntityExtractor"),
        ]
    )
    assert [e["entity"] for e in merged] == ["industrial_estate"]


def test_non_overlapping_entities_all_kept_in_text_order():
    merged = merge_entities(
        [
            ent("phone", 20, 30, "0812345678", "RegexEntityExtractor"),
            ent("province", 0, 5, "ระยอง", "DIETClassifier"),
        ]
    )
    assert [e["entity"] for e in merged] == ["province", "phone"]


def test_canonical_values():
    assert canonical_value("phone", "๐๙๑๒๓๔๕๖๗๘") == "0912345678"
    assert canonical_value("tracking_number", "idee 2569 000990") == "IDEE-2569-000990"
    assert canonical_value("tracking_number", "IDEE-๒๕๖๙-๐๐๐๑๒๓") == "IDEE-2569-000123"
    assert canonical_value("industrial_estate", "นิคมฯ อมตะนคร") == "นิคมอุตสาหกรรมอมตะนคร"
    assert canonical_value("industrial_estate", "นิคมบางปู") == "นิคมอุตสาหกรรมบางปู"
    assert canonical_value("industrial_estate", "นิคมอุตสาหกรรมบางปู") == "นิคมอุตสาหกรรมบางปู"
    assert canonical_value("province", "โคราช") == "โคราช"  # EntitySynonymMapper's job


spans = st.tuples(
    st.integers(0, 40),
    st.integers(1, 10),
    st.sampled_from(["province", "phone", "district"]),
    st.sampled_from(["DIETClassifier", "RegexEntityExtractor"]),
)


@given(st.lists(spans, max_size=12))
def test_merged_entities_never_overlap(items):
    entities = [ent(t, s, s + n, "x", x) for s, n, t, x in items]
    merged = merge_entities(entities)
    ordered = sorted((e["start"], e["end"]) for e in merged)
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
    # every dropped entity overlaps a kept one
    for e in entities:
        assert any(e["start"] < k["end"] and k["start"] < e["end"] for k in merged)


def test_unknown_province_values_are_dropped():
    from nlu.entity_merger import drop_unknown_provinces, official_provinces

    known = official_provinces()
    assert len(known) == 77
    kept = drop_unknown_provinces(
        [
            ent("province", 4, 6, "สม", "DIETClassifier"),
            ent("province", 10, 13, "เลย", "DIETClassifier"),
            ent("district", 0, 3, "สม", "DIETClassifier"),
        ],
        known,
    )
    assert [(e["entity"], e["value"]) for e in kept] == [("province", "เลย"), ("district", "สม")]


def test_format_entities_must_have_their_format():
    from nlu.entity_merger import drop_unknown_provinces, official_provinces

    kept = drop_unknown_provinces(
        [
            ent("tracking_number", 0, 4, "IDEE", "DIETClassifier"),
            ent("tracking_number", 5, 21, "IDEE-2569-000123", "RegexEntityExtractor"),
            ent("phone", 22, 25, "081", "DIETClassifier"),
        ],
        official_provinces(),
    )
    assert [e["value"] for e in kept] == ["IDEE-2569-000123"]


def test_estate_forms_canonicalise():
    assert canonical_value("industrial_estate", "นิคมอุตสาหกรรม 304") == "นิคมอุตสาหกรรม304"
    assert canonical_value("industrial_estate", "นิคมฯเกตเวย์") == "นิคมอุตสาหกรรมเกตเวย์"
