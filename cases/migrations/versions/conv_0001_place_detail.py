"""Place detail on tickets: district, subdistrict, road or landmark as the citizen wrote it

Revision ID: conv_0001
Revises: conf_0002
Create Date: 2026-12-03 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "conv_0001"
down_revision = "conf_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_detail", sa.String(length=256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("place_detail")
