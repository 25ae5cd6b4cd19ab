"""Idempotency keys of bulk imports (data-values, XLSX).

Revision ID: submission_0004
Revises: submission_0003
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "submission_0004"
down_revision = "submission_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_idempotency_keys",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", "operation", "actor"),
    )


def downgrade() -> None:
    op.drop_table("submission_idempotency_keys")
