from datetime import datetime, timedelta, timezone

from cases.service_levels import (
    BANGKOK,
    add_business_days,
    due_dates,
    is_business_day,
    is_overdue,
)


def bkk(*args):
    return datetime(*args, tzinfo=BANGKOK)


def test_weekends_and_thai_holidays_are_not_business_days():
    assert not is_business_day(bkk(2025, 4, 12).date())  # Saturday
    assert not is_business_day(bkk(2025, 4, 14).date())  # Songkran (Monday)
    assert not is_business_day(bkk(2025, 12, 5).date())  # King Bhumibol's birthday
    assert is_business_day(bkk(2025, 4, 17).date())


def test_one_business_day_after_friday_is_monday():
    assert add_business_days(bkk(2025, 3, 7, 10, 30), 1) == bkk(2025, 3, 10, 10, 30)


def test_songkran_is_skipped():
    # Friday 11 April 2025 + 1 business day: weekend, Songkran 13-15 and its day in lieu → 17.
    assert add_business_days(bkk(2025, 4, 11, 9), 1).date() == bkk(2025, 4, 17).date()


def test_due_dates_normal_and_urgent():
    created = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Bangkok
    normal = due_dates(created, "normal")
    assert normal.acknowledge_by == bkk(2025, 3, 4, 9)
    assert normal.resolve_by == bkk(2025, 3, 24, 9)  # 15 business days, no holiday between
    urgent = due_dates(created, "urgent")
    assert urgent.acknowledge_by == created + timedelta(hours=24)
    assert urgent.resolve_by == normal.resolve_by


def test_overdue_rules():
    now = bkk(2025, 3, 10, 12)
    early, late = now + timedelta(hours=1), now - timedelta(hours=1)
    assert is_overdue(state="new", ack_due_at=late, resolve_due_at=early, now=now)
    assert not is_overdue(state="acknowledged", ack_due_at=late, resolve_due_at=early, now=now)
    assert is_overdue(state="in_progress", ack_due_at=late, resolve_due_at=late, now=now)
    assert not is_overdue(state="resolved", ack_due_at=late, resolve_due_at=late, now=now)
    assert not is_overdue(state="new", ack_due_at=None, resolve_due_at=None, now=now)
