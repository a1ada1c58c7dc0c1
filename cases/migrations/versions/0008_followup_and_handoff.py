"""citizen feedback after resolution and handoff to an officer

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 4, follow-up and handoff work


def downgrade() -> None:
    pass
