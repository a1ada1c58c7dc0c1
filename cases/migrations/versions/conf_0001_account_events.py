"""Audit of console account changes

Revision ID: conf_0001
Revises: reg_0001
Create Date: 2026-12-03 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "conf_0001"
down_revision = "reg_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_account_events_officer_id", "account_events", ["officer_id"])
    op.create_index("ix_account_events_created_at", "account_events", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_account_events_created_at", table_name="account_events")
    op.drop_index("ix_account_events_officer_id", table_name="account_events")
    op.drop_table("account_events")
