"""Stored contributions of each unit to roll-ups (per figure key and period), kept by the
consumer with the facts, so a province report adds up rows per subtree in SQL.

Revision ID: reporting_0104
Revises: reporting_0103
Create Date: 2026-11-30 12:30
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0104"
down_revision = "reporting_0103"
branch_labels = None
depends_on = None

DECIMAL = sa.Numeric().with_variant(sa.String(60), "sqlite")


def upgrade() -> None:
    op.create_table(
        "contributions",
        sa.Column("period_code", sa.String(24), primary_key=True),
        sa.Column("org_unit_id", sa.String(36), primary_key=True),
        sa.Column("figure_key", sa.String(400), primary_key=True),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", DECIMAL, nullable=True),
        sa.Column("num", DECIMAL, nullable=True),
        sa.Column("den", DECIMAL, nullable=True),
    )
    op.create_index("ix_contributions_unit", "contributions", ["org_unit_id", "year", "indicator_code"])
    op.create_index("ix_contributions_indicator", "contributions", ["province_code", "indicator_code"])
    # facts recorded before this revision: `ktxh-reporting rebuild-contributions` (consumers
    # stopped) computes their contributions (docs/reporting.md "Roll-ups at scale")


def downgrade() -> None:
    op.drop_table("contributions")
