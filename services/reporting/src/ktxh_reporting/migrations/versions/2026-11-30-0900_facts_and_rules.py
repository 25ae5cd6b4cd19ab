"""The event-fed read model: facts of accepted reports, report states, indicator revisions,
targets, and the successors of merged units.

Revision ID: reporting_0002
Revises: reporting_0001
Create Date: 2026-11-30 09:00
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0002"
down_revision = "reporting_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_units_rm") as batch:
        batch.add_column(sa.Column("successor_ids", sa.JSON, nullable=False, server_default="[]"))
    op.create_table(
        "facts",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("figure_key", sa.String(400), primary_key=True),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("value", sa.String(60), nullable=False),
        sa.Column("text_value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_facts_lookup", "facts", ["indicator_code", "period_code", "org_unit_id"])
    op.create_index("ix_facts_updated", "facts", ["province_code", "updated_at"])
    op.create_table(
        "report_states",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("org_unit_code", sa.String(40), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("calendar_code", sa.String(40), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("timeliness", sa.String(12), nullable=False),
        sa.Column("days_late", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_report_states_period", "report_states", ["period_code", "org_unit_id"])
    op.create_table(
        "indicator_revisions",
        sa.Column("indicator_id", sa.String(36), primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.Column("rule", sa.JSON, nullable=False),
    )
    op.create_index("ix_indicator_revisions_code", "indicator_revisions", ["code"])
    op.create_table(
        "targets",
        sa.Column("assignment_id", sa.String(36), primary_key=True),
        sa.Column("org_unit_id", sa.String(36), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("figure_key", sa.String(400), nullable=False),
        sa.Column("period_code", sa.String(24), nullable=False),
        sa.Column("target_value", sa.String(60), nullable=False),
        sa.Column("target_value_max", sa.String(60), nullable=False),
        sa.Column("comparison", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("effective_from", sa.String(10), nullable=False),
        sa.Column("effective_to", sa.String(10), nullable=False),
        sa.Column("front_unit_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_targets_lookup", "targets", ["indicator_code", "org_unit_id"])


def downgrade() -> None:
    op.drop_table("targets")
    op.drop_table("indicator_revisions")
    op.drop_table("report_states")
    op.drop_table("facts")
    with op.batch_alter_table("org_units_rm") as batch:
        batch.drop_column("successor_ids")
