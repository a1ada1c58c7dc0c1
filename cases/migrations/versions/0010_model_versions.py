"""NLU model version on tickets and the model registry

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nlu_model_version", sa.String(length=64), nullable=True))
    op.create_table(
        "nlu_model_deployments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("data_hash", sa.String(length=16), nullable=True),
        sa.Column("model_file", sa.String(length=512), nullable=False),
        sa.Column("gate_verdict", sa.String(length=32), nullable=True),
        sa.Column("macro_f1", sa.Float(), nullable=True),
        sa.Column("previous_model_id", sa.String(length=64), nullable=True),
        sa.Column("deployed_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_nlu_model_deployments_model_id", "nlu_model_deployments", ["model_id"])
    op.create_index("ix_nlu_model_deployments_deployed_at", "nlu_model_deployments", ["deployed_at"])


def downgrade() -> None:
    op.drop_index("ix_nlu_model_deployments_deployed_at", table_name="nlu_model_deployments")
    op.drop_index("ix_nlu_model_deployments_model_id", table_name="nlu_model_deployments")
    op.drop_table("nlu_model_deployments")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("nlu_model_version")
