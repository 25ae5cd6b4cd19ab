"""Outbox, inbox and the org-unit read model of the reporting service.

Revision ID: reporting_0001
Revises:
Create Date: 2026-11-23 20:00
"""

import sqlalchemy as sa
from alembic import op

from ktxh_platform.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "reporting_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "org_units_rm",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False, index=True),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("valid_to", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("events_applied", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("org_units_rm")
    drop_messaging_tables()
