"""citizen feedback after resolution and handoff to an officer

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "resolution_event_id",
            sa.Integer(),
            sa.ForeignKey("ticket_events.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_ticket_feedback_ticket_id", "ticket_feedback", ["ticket_id"])

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("line_user_id", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_reason", sa.String(16), nullable=True),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("acknowledged", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_officer_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_handoffs_status_activity", "handoffs", ["status", "last_officer_activity_at"])
    op.create_index("ix_handoffs_line_user_status", "handoffs", ["line_user_id", "status"])

    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("handoff_id", sa.Integer(), sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_handoff_messages_handoff_id", "handoff_messages", ["handoff_id"])


def downgrade() -> None:
    op.drop_index("ix_handoff_messages_handoff_id", table_name="handoff_messages")
    op.drop_table("handoff_messages")
    op.drop_index("ix_handoffs_line_user_status", table_name="handoffs")
    op.drop_index("ix_handoffs_status_activity", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_index("ix_ticket_feedback_ticket_id", table_name="ticket_feedback")
    op.drop_table("ticket_feedback")
