"""Key tasks in the read model: catalog key tasks, key-task assignments, and the progress
reported on them in accepted reports (key-task summary).

Revision ID: reporting_0201
Revises: reporting_0104
Create Date: 2026-11-30 13:00
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0201"
down_revision = "reporting_0104"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_tasks_rm",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "task_assignments",
        sa.Column("assignment_id", sa.String(36), primary_key=True),
        sa.Column("key_task_id", sa.String(36), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("role", sa.String(14), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("coordinating_unit_ids", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("effective_from", sa.String(10), nullable=False),
        sa.Column("effective_to", sa.String(10), nullable=False),
        sa.Column("front_unit_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_task_assignments_unit", "task_assignments",
                    ["province_code", "year", "org_unit_id"])
    op.create_table(
        "task_reports",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "task_progress",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("key_task_id", sa.String(36), primary_key=True),
        sa.Column("key_task_code", sa.String(80), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("period_end", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("percent_done", sa.Integer, nullable=False),
        sa.Column("results", sa.Text, nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_progress_task", "task_progress", ["key_task_id", "org_unit_id"])


def downgrade() -> None:
    op.drop_table("task_progress")
    op.drop_table("task_reports")
    op.drop_table("task_assignments")
    op.drop_table("key_tasks_rm")
