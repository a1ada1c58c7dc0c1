"""Thai dates through one helper (PyThaiNLP): Bangkok time, Thai months, Buddhist-era years."""

from __future__ import annotations

from datetime import date, datetime, timezone

from cases.thai_format import buddhist_year, thai_date, thai_datetime, thai_month


def test_a_utc_moment_is_shown_in_bangkok_time_with_a_buddhist_year():
    moment = datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)
    assert thai_datetime(moment) == "4 มี.ค. 2569 10:00"
    assert thai_date(moment) == "4 มี.ค. 2569"


def test_naive_values_are_utc_and_the_day_can_change():
    assert thai_datetime(datetime(2026, 12, 31, 18, 30)) == "1 ม.ค. 2570 01:30"


def test_no_date_is_a_dash():
    assert thai_datetime(None) == "-" and thai_date(None) == "-"


def test_every_month_has_its_thai_abbreviation_and_a_short_year():
    months = [thai_month(date(2026, m, 1)) for m in range(1, 13)]
    assert months[0] == "ม.ค. 69" and months[2] == "มี.ค. 69" and months[11] == "ธ.ค. 69"
    assert len(set(months)) == 12


def test_buddhist_year():
    assert buddhist_year(date(2026, 11, 25)) == 2569
