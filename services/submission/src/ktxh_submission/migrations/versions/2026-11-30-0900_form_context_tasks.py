"""The built form's targets, key-task progress and its history, attachments, reminders sent;
the unit replica keeps names and validity (the board).

Revision ID: submission_0003
Revises: submission_0002
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "submission_0003"
down_revision = "submission_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("targets", sa.JSON(), nullable=True))
    op.add_column("org_units", sa.Column("name", sa.String(length=500), nullable=True))
    op.add_column("org_units", sa.Column("valid_from", sa.String(length=10), nullable=True))
    op.add_column("org_units", sa.Column("valid_to", sa.String(length=10), nullable=True))
    op.create_table(
        "submission_reminders",
        sa.Column("org_unit_id", sa.String(length=36), nullable=False),
        sa.Column("period_code", sa.String(length=20), nullable=False),
        sa.Column("calendar_code", sa.String(length=60), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_unit_id", "period_code", "calendar_code", "step"),
    )
    op.create_table(
        "submission_task_progress",
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("key_task_code", sa.String(length=60), nullable=False),
        sa.Column("key_task_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("percent_done", sa.Integer(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=False),
        sa.Column("proposals", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("office_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id", "key_task_code"),
    )
    op.create_table(
        "submission_attachments",
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id", "document_id"),
    )
    op.create_table(
        "submission_task_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("key_task_code", sa.String(length=60), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_submission_task_changes_sub", "submission_task_changes",
                    ["submission_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_submission_task_changes_sub", table_name="submission_task_changes")
    op.drop_table("submission_task_changes")
    op.drop_table("submission_attachments")
    op.drop_table("submission_task_progress")
    op.drop_table("submission_reminders")
    op.drop_column("org_units", "valid_to")
    op.drop_column("org_units", "valid_from")
    op.drop_column("org_units", "name")
    op.drop_column("submissions", "targets")
