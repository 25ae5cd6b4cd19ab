"""Reports, their figures, history and steps; replicas of the org-unit tree and calendars.

Revision ID: submission_0002
Revises: submission_0001
Create Date: 2026-11-30 06:00
"""

import sqlalchemy as sa
from alembic import op

revision = "submission_0002"
down_revision = "submission_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("province_code", sa.String(length=10), nullable=False),
        sa.Column("org_unit_id", sa.String(length=36), nullable=False),
        sa.Column("org_unit_code", sa.String(length=40), nullable=False),
        sa.Column("period_code", sa.String(length=20), nullable=False),
        sa.Column("period_kind", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("calendar_code", sa.String(length=60), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_unit_id", "period_code", name="uq_submissions_unit_period"),
    )
    op.create_index(
        "ix_submissions_period",
        "submissions",
        ["province_code", "period_code", "status"],
        unique=False,
    )
    op.create_index(
        "ix_submissions_unit_kind",
        "submissions",
        ["org_unit_id", "period_kind", "period_start"],
        unique=False,
    )
    op.create_table(
        "submission_figures",
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("figure_key", sa.String(length=300), nullable=False),
        sa.Column("indicator_code", sa.String(length=60), nullable=False),
        sa.Column("office_code", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=60), nullable=True),
        sa.Column("text_value", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("return_comment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("submission_id", "figure_key"),
    )
    op.create_index(
        "ix_submission_figures_indicator", "submission_figures", ["indicator_code"], unique=False
    )
    op.create_table(
        "submission_figure_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("figure_key", sa.String(length=300), nullable=False),
        sa.Column("office_code", sa.String(length=40), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("before_note", sa.Text(), nullable=False),
        sa.Column("after_note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figure_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_submission_figure_changes_sub",
        "submission_figure_changes",
        ["submission_id", "id"],
        unique=False,
    )
    op.create_table(
        "submission_steps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_unit", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("office_code", sa.String(length=40), nullable=False),
        sa.Column("figure_key", sa.String(length=300), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "seq", name="uq_submission_steps_seq"),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("province_code", sa.String(length=10), nullable=False),
        sa.Column("successor_ids", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_org_units_code", "org_units", ["province_code", "code"], unique=False)
    op.create_index("ix_org_units_parent", "org_units", ["parent_id"], unique=False)
    op.create_table(
        "calendars",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("province_code", sa.String(length=10), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_calendars_code", "calendars", ["province_code", "code"], unique=False)


def downgrade() -> None:
    for name in (
        "calendars",
        "org_units",
        "submission_steps",
        "submission_figure_changes",
        "submission_figures",
        "submissions",
    ):
        op.drop_table(name)
