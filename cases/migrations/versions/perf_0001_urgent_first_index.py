"""The urgent-first index again where SQLite's batch migrations dropped it

On SQLite, ``batch_alter_table`` copies the table into a new one with the columns and
indexes SQLAlchemy can reflect; an index of an expression is not one of them, so every
batch migration of ``tickets`` after 0005 silently dropped ``ix_tickets_urgent_first``.
PostgreSQL alters in place and kept it. A later batch migration of ``tickets`` must end by
creating it again (tests/cases/test_migrations.py checks the head has it).

Revision ID: perf_0001
Revises: conv_0001
Create Date: 2026-12-08 01:45:00
"""

from __future__ import annotations

from alembic import op

revision = "perf_0001"
down_revision = "conv_0001"
branch_labels = None
depends_on = None

# The expression of 0005 and of cases.ticket_queries.URGENT_FIRST (the planner needs the same).
URGENT_FIRST_INDEX = "ix_tickets_urgent_first"


def upgrade() -> None:
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {URGENT_FIRST_INDEX} ON tickets ((priority = 'urgent') DESC, created_at DESC, id DESC)"
    )


def downgrade() -> None:
    # The index belongs to 0005, whose downgrade drops it.
    pass
