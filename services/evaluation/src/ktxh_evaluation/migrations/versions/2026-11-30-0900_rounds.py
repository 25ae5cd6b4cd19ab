"""Evaluation rounds, evaluations, report timeliness and the replica of the org-unit tree.

Revision ID: evaluation_0002
Revises: evaluation_0001
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0002"
down_revision = "evaluation_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_rounds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("criteria_set_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("province_code", "criteria_set_id", "year", "kind",
                            name="uq_evaluation_rounds_set_year_kind"),
    )
    op.create_table(
        "evaluations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("round_id", sa.String(36), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("org_unit_code", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total_score", sa.Numeric(12, 2), nullable=False),
        sa.Column("completion_level", sa.String(16), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.UniqueConstraint("round_id", "org_unit_id", name="uq_evaluations_round_unit"),
    )
    op.create_index("ix_evaluations_unit", "evaluations", ["org_unit_id"])
    op.create_table(
        "unit_reports",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("period_code", sa.String(20), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("days_late", sa.Integer, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_unit_reports_unit_period", "unit_reports", ["org_unit_id", "period_code"])
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("successor_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_org_units_code", "org_units", ["province_code", "code"])
    op.create_index("ix_org_units_parent", "org_units", ["parent_id"])


def downgrade() -> None:
    op.drop_table("org_units")
    op.drop_table("unit_reports")
    op.drop_table("evaluations")
    op.drop_table("evaluation_rounds")
