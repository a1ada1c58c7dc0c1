"""idempotent ticket submission key

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:54:19.258311
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
    op.create_index("uq_tickets_submission_key", "tickets", ["submission_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_tickets_submission_key", table_name="tickets")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("submission_key")
