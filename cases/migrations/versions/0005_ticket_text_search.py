"""Ticket list speed: urgent-first index for the default order; pg_trgm text search indexes

The default order (urgent first, then newest) gets an index of the same expression, so
a page is read in order instead of sorting every visible ticket. The list searches with
ILIKE '%...%' (substring, works for Thai without word breaks); on PostgreSQL trigram
GIN indexes answer that for rare words without reading every ticket. SQLite keeps
scanning for text: it serves development, not 100,000 tickets.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_tickets_description_trgm": "description",
    "ix_tickets_subject_name_trgm": "subject_name",
    "ix_tickets_tracking_number_trgm": "tracking_number",
}


# Must stay the same expression as cases.ticket_queries.URGENT_FIRST for the planner.
URGENT_FIRST_INDEX = "ix_tickets_urgent_first"


def upgrade() -> None:
    op.execute(f"CREATE INDEX {URGENT_FIRST_INDEX} ON tickets ((priority = 'urgent') DESC, created_at DESC, id DESC)")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON tickets USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {URGENT_FIRST_INDEX}")
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other objects may use it, and dropping it needs more rights.
