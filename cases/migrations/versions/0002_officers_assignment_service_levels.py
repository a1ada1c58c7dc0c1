"""Officers (console accounts), ticket assignment, service-level dates, event kinds.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ASSIGNEE_FK = "fk_tickets_assignee_id_officers"


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_index("ix_officers_agency", "officers", ["agency"])

    with op.batch_alter_table("ticket_events") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="state", nullable=False))
        batch_op.add_column(sa.Column("from_agency", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("to_agency", sa.String(length=16), nullable=True))

    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ack_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolve_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("first_action_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_tickets_assignee_id", ["assignee_id"])
        batch_op.create_index("ix_tickets_priority_created", ["priority", "created_at"])
        batch_op.create_index("ix_tickets_state_resolve_due", ["state", "resolve_due_at"])
        batch_op.create_index("ix_tickets_subject_name", ["subject_name"])
        batch_op.create_foreign_key(ASSIGNEE_FK, "officers", ["assignee_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_constraint(ASSIGNEE_FK, type_="foreignkey")
        batch_op.drop_index("ix_tickets_subject_name")
        batch_op.drop_index("ix_tickets_state_resolve_due")
        batch_op.drop_index("ix_tickets_priority_created")
        batch_op.drop_index("ix_tickets_assignee_id")
        for column in ("resolved_at", "first_action_at", "resolve_due_at", "ack_due_at", "assignee_id"):
            batch_op.drop_column(column)

    with op.batch_alter_table("ticket_events") as batch_op:
        for column in ("to_agency", "from_agency", "kind"):
            batch_op.drop_column(column)

    op.drop_index("ix_officers_agency", table_name="officers")
    op.drop_table("officers")
