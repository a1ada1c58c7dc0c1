"""The trainers' review queue: messages the NLU misread or was unsure of, masked, once each.

Callers (actions, the console, training/) use these keyword-only functions; each takes the
session and leaves the commit to the caller:

- ``enqueue(session, text=..., source=..., predicted_intent=..., confidence=...,
  corrected_intent=..., entities=..., ticket_id=...)`` queues a message. The text is masked
  first (phones, national ID numbers, and the spans the NLU tagged ``subject_name`` or
  ``phone``); a text already queued is not added again, its ``occurrences`` grows and a
  correction fills an empty ``corrected_intent``.
- ``enqueue_ticket(session, ticket=..., source=..., corrected_intent=None)`` queues a
  ticket's description (officer reroute / recategorise), its subject name masked.
- ``list_items(session, filters=ReviewFilters(...))`` for the trainer pages.
- ``accept(session, item_id=..., reviewer=..., intent=None, entities=None)`` accepts an item,
  relabelled when ``intent`` differs from what it had; ``discard(...)`` drops it.
- ``items_to_export(session)`` (accepted, not yet exported) and ``mark_exported(session, ids)``
  for training/export.py; ``ReviewItem.label`` is the intent an item trains.

Errors a trainer can cause come back as a message string (``None`` means done).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.access import CONFIDENTIAL_AGENCY
from cases.models import ReviewItem, Ticket
from cases.privacy import mask_personal_data
from cases.taxonomy import complaint_intents


class Source:
    """Where a queued message came from."""

    LOW_CONFIDENCE = "low_confidence"  # a complaint intent below the clarify threshold
    FALLBACK = "fallback"  # nlu_fallback: nothing was confident enough
    CITIZEN_CHOICE = "citizen_choice"  # the citizen picked a category from the clarifying question
    CITIZEN_CORRECTED = "citizen_corrected"  # the citizen changed the category in the form
    OFFICER_REROUTE = "officer_reroute"  # an officer sent the ticket to another agency
    OFFICER_RECATEGORISE = "officer_recategorise"  # an officer changed the ticket's category


SOURCES: tuple[str, ...] = (
    Source.LOW_CONFIDENCE,
    Source.FALLBACK,
    Source.CITIZEN_CHOICE,
    Source.CITIZEN_CORRECTED,
    Source.OFFICER_REROUTE,
    Source.OFFICER_RECATEGORISE,
)
# Sources whose corrected intent a person chose: a stronger signal than a prediction.
CORRECTION_SOURCES = frozenset({Source.CITIZEN_CHOICE, Source.CITIZEN_CORRECTED, Source.OFFICER_RECATEGORISE})

# Corruption complaints are confidential (only ACOC sees them): never shown to trainers.
CONFIDENTIAL_INTENTS = frozenset({"complaint_corruption"})

PENDING, ACCEPTED, DISCARDED = "pending", "accepted", "discarded"
STATUSES: tuple[str, ...] = (PENDING, ACCEPTED, DISCARDED)

# Intents a trainer may give an item (the taxonomy's, docs/taxonomy.md).
TRAINABLE_INTENTS: tuple[str, ...] = (
    *complaint_intents(),
    "out_of_scope",
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "inform",
    "check_status",
    "ask_human",
    "help",
    "cancel",
    "my_tickets",
)
# Entities a trainer may mark; subject_name and phone are personal and are masked instead.
TRAINABLE_ENTITIES: tuple[str, ...] = (
    "province",
    "district",
    "industrial_estate",
    "tracking_number",
    "date",
)
MASKED_ENTITIES: dict[str, str] = {"subject_name": "[subject_name]", "phone": "[phone]"}
MAX_TEXT_CHARS = 2000


# -- masking (pure) -------------------------------------------------------------------------


def mask_text(text: str, entities: Iterable[dict[str, Any]] | None = None) -> tuple[str, list[dict]]:
    """The text with personal data replaced, and the kept entity spans moved onto it.

    Spans tagged ``subject_name``/``phone`` become placeholders; the text between spans goes
    through ``cases.privacy.mask_personal_data``; other entities keep their value and get
    offsets in the masked text. Overlapping or invalid spans are dropped.
    """
    spans = sorted(
        (
            e
            for e in (entities or [])
            if isinstance(e.get("start"), int)
            and isinstance(e.get("end"), int)
            and 0 <= e["start"] < e["end"] <= len(text)
            and e.get("entity")
        ),
        key=lambda e: (e["start"], -e["end"]),
    )
    pieces: list[str] = []
    kept: list[dict] = []
    position = 0
    length = 0
    for span in spans:
        if span["start"] < position:
            continue  # overlaps the previous span
        gap = mask_personal_data(text[position : span["start"]])
        pieces.append(gap)
        length += len(gap)
        original = text[span["start"] : span["end"]]
        if span["entity"] in MASKED_ENTITIES:
            piece = MASKED_ENTITIES[span["entity"]]
        else:
            piece = mask_personal_data(original)
            if piece == original:
                kept.append({"start": length, "end": length + len(piece), "entity": span["entity"], "value": piece})
        pieces.append(piece)
        length += len(piece)
        position = span["end"]
    pieces.append(mask_personal_data(text[position:]))
    return "".join(pieces), kept


def text_key(text: str) -> str:
    """What makes two texts "the same" for the queue: NFC, casefolded, whitespace ignored
    (Thai spacing between words is free)."""
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()
    return hashlib.sha256(normal.encode()).hexdigest()


# -- writing --------------------------------------------------------------------------------


def enqueue(
    session: Session,
    *,
    text: str,
    source: str,
    predicted_intent: str | None = None,
    confidence: float | None = None,
    corrected_intent: str | None = None,
    entities: Iterable[dict[str, Any]] | None = None,
    ticket_id: int | None = None,
) -> ReviewItem | None:
    """Queue a message (masked); the existing item when this text is queued already.

    ``entities`` are the NLU's entities of ``text`` (Rasa's dicts with start/end/entity/value).
    Returns None for an empty text or a payload (``/intent{...}``), which nobody trains on,
    and for corruption (``CONFIDENTIAL_INTENTS``): such a text is also removed if queued.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown review source: {source}")
    if not text or not text.strip() or text.lstrip().startswith("/"):
        return None
    masked, kept = mask_text(text.strip()[:MAX_TEXT_CHARS], entities)
    key = text_key(masked)
    existing = _by_key(session, key)
    if {predicted_intent, corrected_intent} & CONFIDENTIAL_INTENTS:
        if existing is not None:  # the citizen said it is corruption: out of the queue too
            session.delete(existing)
            session.flush()
        return None
    if existing is None:
        item = ReviewItem(
            text=masked,
            text_key=key,
            source=source,
            predicted_intent=predicted_intent,
            confidence=confidence,
            corrected_intent=corrected_intent,
            entities=kept,
            status=PENDING,
            occurrences=1,
            ticket_id=ticket_id,
        )
        try:
            with session.begin_nested():
                session.add(item)
            return item
        except IntegrityError:  # queued at the same moment by another process
            existing = _by_key(session, key)
            if existing is None:
                raise
    _merge(existing, source=source, corrected_intent=corrected_intent, ticket_id=ticket_id)
    session.flush()
    return existing


def enqueue_ticket(
    session: Session, *, ticket: Ticket, source: str, corrected_intent: str | None = None
) -> ReviewItem | None:
    """Queue a ticket's description (an officer rerouted or recategorised it); the ticket's
    subject name is masked wherever it appears, phones and ID numbers as always.
    Confidential tickets (corruption, ACOC) are never queued."""
    if ticket.confidential or ticket.agency == CONFIDENTIAL_AGENCY:
        return None
    text = (ticket.description or "").strip()
    name = (ticket.subject_name or "").strip()
    spans = []
    if len(name) >= 2 and name != "-":
        spans = [
            {"start": m.start(), "end": m.end(), "entity": "subject_name"} for m in re.finditer(re.escape(name), text)
        ]
    return enqueue(
        session,
        text=text,
        source=source,
        predicted_intent=ticket.nlu_intent,
        confidence=ticket.nlu_confidence,
        corrected_intent=corrected_intent,
        entities=spans,
        ticket_id=ticket.id,
    )


def purge_ticket(session: Session, *, ticket: Ticket) -> int:
    """Remove every queued item of a ticket that became confidential (rerouted to ACOC,
    recategorised as corruption, or corrected by the citizen): the items it queued
    (``ticket_id``) and its description wherever it was queued (a low-confidence message
    queued before the ticket existed). Any status: an accepted item would be exported."""
    clauses = [ReviewItem.ticket_id == ticket.id]
    text = (ticket.description or "").strip()
    if text:
        clauses.append(ReviewItem.text_key == text_key(mask_text(text[:MAX_TEXT_CHARS])[0]))
    items = list(session.scalars(select(ReviewItem).where(or_(*clauses))))
    for item in items:
        session.delete(item)
    session.flush()
    return len(items)


def _by_key(session: Session, key: str) -> ReviewItem | None:
    return session.scalar(select(ReviewItem).where(ReviewItem.text_key == key))


def _merge(item: ReviewItem, *, source: str, corrected_intent: str | None, ticket_id: int | None) -> None:
    item.occurrences = ReviewItem.occurrences + 1  # in SQL: no lost update under concurrency
    if corrected_intent and not item.corrected_intent and item.status == PENDING:
        item.corrected_intent = corrected_intent
        if source in CORRECTION_SOURCES:
            item.source = source
    if ticket_id and not item.ticket_id:
        item.ticket_id = ticket_id


def accept(
    session: Session,
    *,
    item_id: int,
    reviewer: str,
    intent: str | None = None,
    entities: Sequence[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> str | None:
    """Accept an item under ``intent`` (relabel) or its current label; entity spans replaced
    when ``entities`` is given (each ``{"start", "end", "entity"}`` over the item's text)."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        return "no such item"
    label = intent or item.label
    if label not in TRAINABLE_INTENTS:
        return f"unknown intent: {label}"
    if entities is not None:
        checked = validate_entities(item.text, entities)
        if isinstance(checked, str):
            return checked
        item.entities = checked
    if label != item.label:
        item.corrected_intent = label
    elif item.corrected_intent is None:
        item.corrected_intent = label
    _reviewed(item, ACCEPTED, reviewer, now)
    return None


def discard(session: Session, *, item_id: int, reviewer: str, now: datetime | None = None) -> str | None:
    item = session.get(ReviewItem, item_id)
    if item is None:
        return "no such item"
    _reviewed(item, DISCARDED, reviewer, now)
    return None


def _reviewed(item: ReviewItem, status: str, reviewer: str, now: datetime | None) -> None:
    item.status = status
    item.reviewed_by = reviewer
    item.reviewed_at = now or datetime.now(timezone.utc)
    item.exported_at = None  # a changed decision is exported again


def validate_entities(text: str, entities: Sequence[dict[str, Any]]) -> list[dict] | str:
    """Entity spans checked against the text (pure): sorted, with values; a message if wrong."""
    result: list[dict] = []
    for raw in entities:
        try:
            start, end = int(raw["start"]), int(raw["end"])
        except (KeyError, TypeError, ValueError):
            return "an entity needs a start and an end"
        name = str(raw.get("entity") or "")
        if name not in TRAINABLE_ENTITIES:
            return f"unknown entity: {name}"
        if not 0 <= start < end <= len(text):
            return f"span {start}-{end} is outside the text"
        value = text[start:end]
        if value != value.strip():
            return f"span {start}-{end} starts or ends with a space"
        result.append({"start": start, "end": end, "entity": name, "value": value})
    result.sort(key=lambda e: e["start"])
    for left, right in zip(result, result[1:]):
        if right["start"] < left["end"]:
            return f"spans {left['start']}-{left['end']} and {right['start']}-{right['end']} overlap"
    return result


# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilters:
    source: str | None = None
    intent: str | None = None  # predicted or corrected
    status: str | None = PENDING
    page: int = 1
    page_size: int = 50


def list_items(session: Session, *, filters: ReviewFilters) -> tuple[list[ReviewItem], int]:
    """One page of the queue, most frequent and newest first, and the total count."""
    query = select(ReviewItem)
    if filters.source:
        query = query.where(ReviewItem.source == filters.source)
    if filters.status:
        query = query.where(ReviewItem.status == filters.status)
    if filters.intent:
        query = query.where(
            (ReviewItem.predicted_intent == filters.intent) | (ReviewItem.corrected_intent == filters.intent)
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = (
        query.order_by(ReviewItem.occurrences.desc(), ReviewItem.id.desc())
        .limit(filters.page_size)
        .offset((max(1, filters.page) - 1) * filters.page_size)
    )
    return list(session.scalars(page)), total


def counts_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(ReviewItem.status, func.count()).group_by(ReviewItem.status))
    return {status: 0 for status in STATUSES} | {s: n for s, n in rows}


def items_to_export(session: Session) -> list[ReviewItem]:
    """Accepted items not exported since their last review, oldest first."""
    return list(
        session.scalars(
            select(ReviewItem)
            .where(ReviewItem.status == ACCEPTED, ReviewItem.exported_at.is_(None))
            .order_by(ReviewItem.id)
        )
    )


def accepted_items(session: Session) -> list[ReviewItem]:
    """Every accepted item (exported or not), oldest first."""
    return list(session.scalars(select(ReviewItem).where(ReviewItem.status == ACCEPTED).order_by(ReviewItem.id)))


def mark_exported(session: Session, ids: Iterable[int], now: datetime | None = None) -> None:
    moment = now or datetime.now(timezone.utc)
    for item_id in ids:
        item = session.get(ReviewItem, item_id)
        if item is not None:
            item.exported_at = moment
    session.flush()
