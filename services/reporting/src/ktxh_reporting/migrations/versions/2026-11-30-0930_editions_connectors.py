"""Published report editions, upward connectors and their delivery log (transmissions).

Revision ID: reporting_0101
Revises: reporting_0002
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0101"
down_revision = "reporting_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("org_unit_code", sa.String(40), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("report_kind", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("report_table", sa.JSON, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=True),
        sa.Column("published_by", sa.String(100), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_unit_code", "period_code", "report_kind", "revision",
                            name="uq_published_reports_revision"),
    )
    op.create_table(
        "connectors",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("endpoint", sa.String(1000), nullable=False),
        sa.Column("credentials_secret", sa.String(200), nullable=False),
        sa.Column("external_unit_code", sa.String(40), nullable=False),
        sa.Column("mappings", sa.JSON, nullable=False),
        sa.Column("unit_mappings", sa.JSON, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "transmissions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("connector_id", sa.String(36), sa.ForeignKey("connectors.id"), nullable=False),
        sa.Column("org_unit_code", sa.String(40), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("records", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("external_reference", sa.String(200), nullable=False),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("connector_id", "source", name="uq_transmissions_source"),
    )
    op.create_index("ix_transmissions_due", "transmissions", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_transmissions_due", "transmissions")
    op.drop_table("transmissions")
    op.drop_table("connectors")
    op.drop_table("published_reports")
