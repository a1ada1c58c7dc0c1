"""trainers' review queue

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 6, review queue work


def downgrade() -> None:
    pass
