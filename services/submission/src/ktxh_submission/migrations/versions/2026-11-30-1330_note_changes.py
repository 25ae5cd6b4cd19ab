"""History of the whole report's explanatory note (thuyết minh chung).

Revision ID: submission_0005
Revises: submission_0004
Create Date: 2026-11-30 13:30
"""

import sqlalchemy as sa
from alembic import op

revision = "submission_0005"
down_revision = "submission_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_note_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_submission_note_changes_sub", "submission_note_changes", ["submission_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_submission_note_changes_sub", table_name="submission_note_changes")
    op.drop_table("submission_note_changes")
