"""Dashboard statistics as query functions, scoped by the same visibility rule as the list.

Every function takes the session, the viewer and ``now`` (so tests fix the clock) and
returns plain data. Counting and grouping run in SQL on both SQLite and PostgreSQL;
days are counted on the Bangkok calendar (UTC+7, no daylight saving).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import ColumnElement, and_, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.types import Integer

from cases.access import Viewer, visible_clause
from cases.models import Ticket

BANGKOK_OFFSET_SECONDS = 7 * 3600
HOTSPOT_DAYS = 90
HOTSPOT_MIN = 3
WEEKS = 12
_EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True)
class WeeklyCounts:
    weeks: list[date]  # Mondays (Bangkok), oldest first
    by_category: dict[str, list[int]]  # category -> one count per week


@dataclass(frozen=True)
class Medians:
    first_action_hours: float | None
    resolution_hours: float | None


@dataclass(frozen=True)
class SlaCompliance:
    ack_met: int
    ack_missed: int
    resolve_met: int
    resolve_missed: int

    @property
    def ack_rate(self) -> float | None:
        return _rate(self.ack_met, self.ack_missed)

    @property
    def resolve_rate(self) -> float | None:
        return _rate(self.resolve_met, self.resolve_missed)


@dataclass(frozen=True)
class Hotspot:
    name: str
    count: int
    last_at: datetime
    factory_id: int | None = None  # a registered factory (cases/registry), else a name as typed


def _rate(met: int, missed: int) -> float | None:
    return met / (met + missed) if met + missed else None


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _epoch_seconds(session: Session, column) -> ColumnElement:
    if _dialect(session) == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return func.date_part("epoch", column)  # double precision; extract() gives slower numeric


def _bangkok_day(session: Session, column) -> ColumnElement:
    """Days since 1970-01-01 on the Bangkok calendar, as an integer."""
    seconds = _epoch_seconds(session, column) + BANGKOK_OFFSET_SECONDS
    return cast(func.floor(seconds / 86400.0), Integer)


def _scope(viewer: Viewer, since: datetime, now: datetime) -> ColumnElement[bool]:
    return and_(visible_clause(viewer), Ticket.created_at >= _utc(since), Ticket.created_at <= _utc(now))


def _utc(moment: datetime) -> datetime:
    """SQLite stores the wall-clock fields: compare in UTC on both backends."""
    return moment.astimezone(timezone.utc)


def week_start(moment: datetime) -> date:
    local = moment.astimezone(timezone(timedelta(seconds=BANGKOK_OFFSET_SECONDS))).date()
    return local - timedelta(days=local.weekday())


def weekly_by_category(session: Session, *, viewer: Viewer, now: datetime, weeks: int = WEEKS) -> WeeklyCounts:
    """Tickets created per Bangkok week (Monday first) and category, this week included."""
    first = week_start(now) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), timezone.utc) - timedelta(seconds=BANGKOK_OFFSET_SECONDS)
    day = _bangkok_day(session, Ticket.created_at).label("day")
    rows = session.execute(
        select(day, Ticket.category, func.count()).where(_scope(viewer, since, now)).group_by(day, Ticket.category)
    ).all()
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    counts: dict[str, list[int]] = {}
    for day_number, category, count in rows:
        index = ((_EPOCH_DAY + timedelta(days=int(day_number))) - first).days // 7
        if 0 <= index < weeks:
            counts.setdefault(category, [0] * weeks)[index] += count
    ordered = dict(sorted(counts.items(), key=lambda item: -sum(item[1])))
    return WeeklyCounts(starts, ordered)


def _counts_by(
    session: Session, column, viewer: Viewer, since: datetime, now: datetime
) -> list[tuple[str | None, int]]:
    count = func.count().label("n")
    rows = session.execute(
        select(column, count).where(_scope(viewer, since, now)).group_by(column).order_by(count.desc(), column)
    ).all()
    return [(value, n) for value, n in rows]


def per_agency(session: Session, *, viewer: Viewer, since: datetime, now: datetime) -> list[tuple[str, int]]:
    return [(a or "", n) for a, n in _counts_by(session, Ticket.agency, viewer, since, now)]


def per_province(session: Session, *, viewer: Viewer, since: datetime, now: datetime) -> list[tuple[str | None, int]]:
    """Tickets per province, most first; ``None`` is tickets without a province."""
    return _counts_by(session, Ticket.province, viewer, since, now)


def _seconds_between(session: Session, start, end) -> ColumnElement:
    return _epoch_seconds(session, end) - _epoch_seconds(session, start)


def median_times(session: Session, *, viewer: Viewer, since: datetime, now: datetime) -> Medians:
    """Median hours from creation to the first action and to the resolution."""
    ends = (Ticket.first_action_at, Ticket.resolved_at)
    if _dialect(session) == "postgresql":  # both medians in one pass over the tickets
        row = session.execute(
            select(
                *(
                    func.percentile_cont(0.5)
                    .within_group(_seconds_between(session, Ticket.created_at, end))
                    .filter(end.is_not(None))
                    for end in ends
                )
            ).where(_scope(viewer, since, now))
        ).one()
        values = [None if v is None else float(v) / 3600 for v in row]
    else:
        values = []
        for end in ends:
            seconds = session.scalars(
                select(_seconds_between(session, Ticket.created_at, end)).where(
                    _scope(viewer, since, now), end.is_not(None)
                )
            ).all()
            values.append(statistics.median(seconds) / 3600 if seconds else None)
    return Medians(first_action_hours=values[0], resolution_hours=values[1])


def sla_compliance(session: Session, *, viewer: Viewer, since: datetime, now: datetime) -> SlaCompliance:
    """Acknowledged / resolved by the due date; tickets not yet due are not counted."""

    def met(done, due):
        return func.coalesce(func.sum(case((and_(done.is_not(None), done <= due), 1), else_=0)), 0)

    def missed(done, due):
        late = case(
            (and_(done.is_not(None), done > due), 1),
            (and_(done.is_(None), due < _utc(now)), 1),
            else_=0,
        )
        return func.coalesce(func.sum(late), 0)

    row = session.execute(
        select(
            met(Ticket.first_action_at, Ticket.ack_due_at),
            missed(Ticket.first_action_at, Ticket.ack_due_at),
            met(Ticket.resolved_at, Ticket.resolve_due_at),
            missed(Ticket.resolved_at, Ticket.resolve_due_at),
        ).where(_scope(viewer, since, now))
    ).one()
    return SlaCompliance(*(int(v) for v in row))


def _hotspots(
    session: Session, column, viewer: Viewer, now: datetime, days: int, minimum: int, *extra
) -> list[Hotspot]:
    count = func.count().label("n")
    rows = session.execute(
        select(column, count, func.max(Ticket.created_at))
        .where(_scope(viewer, now - timedelta(days=days), now), column.is_not(None), column != "", *extra)
        .group_by(column)
        .having(func.count() >= minimum)
        .order_by(count.desc(), column)
    ).all()
    return [Hotspot(name, n, _aware(last)) for name, n, last in rows]


def subject_hotspots(
    session: Session, *, viewer: Viewer, now: datetime, days: int = HOTSPOT_DAYS, minimum: int = HOTSPOT_MIN
) -> list[Hotspot]:
    """Repeat offenders: registered factories linked to ``minimum`` or more complaints in
    ``days`` days (however the citizens spelled them), then names typed in complaints not
    linked to a factory (mines and others outside the registry)."""
    from cases.registry.models import Factory

    count = func.count().label("n")
    rows = session.execute(
        select(Ticket.factory_id, Factory.name, count, func.max(Ticket.created_at))
        .join(Factory, Factory.id == Ticket.factory_id)
        .where(_scope(viewer, now - timedelta(days=days), now))
        .group_by(Ticket.factory_id, Factory.name)
        .having(func.count() >= minimum)
    ).all()
    linked = [Hotspot(name, n, _aware(last), factory_id) for factory_id, name, n, last in rows]
    typed = _hotspots(session, Ticket.subject_name, viewer, now, days, minimum, Ticket.factory_id.is_(None))
    return sorted(linked + typed, key=lambda h: (-h.count, h.name))


def province_hotspots(
    session: Session, *, viewer: Viewer, now: datetime, days: int = HOTSPOT_DAYS, minimum: int = HOTSPOT_MIN
) -> list[Hotspot]:
    return _hotspots(session, Ticket.province, viewer, now, days, minimum)


def _aware(moment: datetime) -> datetime:
    if isinstance(moment, str):  # SQLite aggregates come back as text
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
