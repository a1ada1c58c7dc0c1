"""evidence photos (attachments) and duplicate linking

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_tickets_duplicate_of_id", "tickets", ["duplicate_of_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_tickets_duplicate_of_id", ["duplicate_of_id"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("line_message_id", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_attachments_ticket_id", "attachments", ["ticket_id"])
    op.create_index("ix_attachments_owner_pending", "attachments", ["owner_key", "ticket_id"])
    op.create_index("uq_attachments_line_message_id", "attachments", ["line_message_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_attachments_line_message_id", table_name="attachments")
    op.drop_index("ix_attachments_owner_pending", table_name="attachments")
    op.drop_index("ix_attachments_ticket_id", table_name="attachments")
    op.drop_table("attachments")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_duplicate_of_id")
        batch_op.drop_constraint("fk_tickets_duplicate_of_id", type_="foreignkey")
        batch_op.drop_column("duplicate_of_id")
