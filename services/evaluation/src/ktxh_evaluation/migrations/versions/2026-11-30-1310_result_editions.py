"""Published editions of a round's results (frozen) and their rows (one per unit, read
through the caller's scope).

Revision ID: evaluation_0004
Revises: evaluation_0003
Create Date: 2026-11-30 13:00
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0004"
down_revision = "evaluation_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_editions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("round_id", sa.String(36), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.UniqueConstraint("round_id", "revision", name="uq_result_editions_round_revision"),
    )
    op.create_table(
        "result_edition_rows",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("result_edition_rows")
    op.drop_table("result_editions")
