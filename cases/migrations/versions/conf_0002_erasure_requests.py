"""Audit of citizens' erasure requests

Revision ID: conf_0002
Revises: conf_0001
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "conf_0002"
down_revision = "conf_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("tickets_cleared", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("photos_deleted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("handoffs_deleted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("events_deleted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("tracker_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_erasure_requests_subject", "erasure_requests", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_erasure_requests_subject", table_name="erasure_requests")
    op.drop_table("erasure_requests")
