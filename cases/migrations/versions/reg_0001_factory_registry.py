"""Factory registry and the ticket's factory link

Revision ID: reg_0001
Revises: 0010
Create Date: 2026-12-03 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "reg_0001"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "factories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("name_key", sa.String(length=256), nullable=False),
        sa.Column("business", sa.Text(), nullable=True),
        sa.Column("category_code", sa.String(length=16), nullable=True),
        sa.Column("address", sa.String(length=512), nullable=True),
        sa.Column("subdistrict", sa.String(length=64), nullable=True),
        sa.Column("district", sa.String(length=64), nullable=True),
        sa.Column("province", sa.String(length=64), nullable=False),
        sa.Column("industrial_estate", sa.String(length=128), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("licence_state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("registration_number", name="uq_factories_registration_number"),
    )
    op.create_index("ix_factories_province_district", "factories", ["province", "district"])
    op.create_index("ix_factories_name_key", "factories", ["name_key"])
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("factory_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_tickets_factory_id", "factories", ["factory_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_tickets_factory_id", ["factory_id"])


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_factory_id")
        batch_op.drop_constraint("fk_tickets_factory_id", type_="foreignkey")
        batch_op.drop_column("factory_id")
    op.drop_index("ix_factories_name_key", table_name="factories")
    op.drop_index("ix_factories_province_district", table_name="factories")
    op.drop_table("factories")
