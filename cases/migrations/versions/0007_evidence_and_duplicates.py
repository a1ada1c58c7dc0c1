"""evidence photos (attachments) and duplicate linking

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 4, evidence and duplicates work


def downgrade() -> None:
    pass
