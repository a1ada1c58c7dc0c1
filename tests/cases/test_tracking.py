from datetime import datetime, timezone

import pytest

from cases.tracking import buddhist_year, find_tracking_number, format_tracking_number


def test_buddhist_year():
    assert buddhist_year(datetime(2026, 11, 25, tzinfo=timezone.utc)) == 2569


def test_format():
    assert format_tracking_number(2569, 123) == "IDEE-2569-000123"
    with pytest.raises(ValueError):
        format_tracking_number(2569, 1_000_000)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("IDEE-2569-000123", "IDEE-2569-000123"),
        ("เรื่อง idee-2569-000123 ถึงไหนแล้วคะ", "IDEE-2569-000123"),
        ("IDEE - 2569 - 000045", "IDEE-2569-000045"),
        ("เลข 2569-000123", None),
        ("", None),
    ],
)
def test_find_tracking_number(text, number):
    assert find_tracking_number(text) == number
