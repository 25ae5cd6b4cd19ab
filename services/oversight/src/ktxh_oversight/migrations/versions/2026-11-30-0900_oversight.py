"""Comments, oversight reports, recommendations, idempotency keys, org-unit replica.

Revision ID: oversight_0002
Revises: oversight_0001
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "oversight_0002"
down_revision = "oversight_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("front_unit_id", sa.String(36), nullable=False),
        sa.Column("addressee_unit_id", sa.String(36), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_comments_front", "comments", ["province_code", "front_unit_id"])
    op.create_index("ix_comments_addressee", "comments", ["province_code", "addressee_unit_id"])
    op.create_index("ix_comments_subject", "comments", ["subject_kind", "subject_id"])
    op.create_table(
        "oversight_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("front_unit_id", sa.String(36), nullable=False),
        sa.Column("filed_to_unit_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_oversight_reports_front", "oversight_reports", ["province_code", "front_unit_id"])
    op.create_index("ix_oversight_reports_filed_to", "oversight_reports", ["province_code", "filed_to_unit_id"])
    op.create_table(
        "oversight_report_units",
        sa.Column("report_id", sa.String(36), sa.ForeignKey("oversight_reports.id"), primary_key=True),
        sa.Column("unit_id", sa.String(36), primary_key=True),
    )
    op.create_table(
        "recommendations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("report_id", sa.String(36), sa.ForeignKey("oversight_reports.id"), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("front_unit_id", sa.String(36), nullable=False),
        sa.Column("filed_to_unit_id", sa.String(36), nullable=False),
        sa.Column("addressee_unit_id", sa.String(36), nullable=False),
        sa.Column("filed", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
    )
    op.create_index("ix_recommendations_report", "recommendations", ["report_id"])
    op.create_index("ix_recommendations_addressee", "recommendations", ["province_code", "addressee_unit_id"])
    op.create_index("ix_recommendations_due", "recommendations", ["province_code", "status", "due_date"])
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
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
    for table in ("org_units", "idempotency_keys", "recommendations", "oversight_report_units",
                  "oversight_reports", "comments"):
        op.drop_table(table)
