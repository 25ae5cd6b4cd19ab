"""Decisions, assignments, idempotency keys and the replica of the org-unit tree.

Revision ID: assignment_0002
Revises: assignment_0001
Create Date: 2026-11-30 06:00
"""

import sqlalchemy as sa
from alembic import op

revision = "assignment_0002"
down_revision = "assignment_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("issuer_unit_id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=True),
        sa.Column("signer", sa.String(300), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("plan_period", sa.String(9), nullable=False),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("effective_from", sa.Date, nullable=True),
        sa.Column("adjusts_decision_id", sa.String(36), nullable=True),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("front_unit_ids", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.Text, nullable=False),
        sa.Column("assignment_count", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_decisions_issuer", "decisions", ["province_code", "issuer_unit_id", "status"])
    op.create_index("ix_decisions_year", "decisions", ["province_code", "year"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("decision_id", sa.String(36), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("assignee_unit_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(14), nullable=False),
        sa.Column("assigner_unit_id", sa.String(36), nullable=False),
        sa.Column("subject_key", sa.String(400), nullable=False),
        sa.Column("indicator_code", sa.String(80), nullable=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("plan_period", sa.String(9), nullable=False),
        sa.Column("front_unit_ids", sa.JSON, nullable=False),
        sa.Column("subject", sa.JSON, nullable=False),
        sa.Column("status", sa.String(14), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=True),
        sa.Column("effective_to", sa.Date, nullable=True),
        sa.Column("superseded_by_id", sa.String(36), nullable=False),
        sa.Column("acknowledged_by", sa.String(200), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledgement_note", sa.Text, nullable=False),
        sa.Column("overdue_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_number", sa.String(100), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_assignments_decision", "assignments", ["decision_id"])
    op.create_index("ix_assignments_subject", "assignments", ["province_code", "assignee_unit_id", "subject_key"])
    op.create_index("ix_assignments_status", "assignments", ["province_code", "status", "issued_on"])
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
    op.drop_table("org_units")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_assignments_status", "assignments")
    op.drop_index("ix_assignments_subject", "assignments")
    op.drop_index("ix_assignments_decision", "assignments")
    op.drop_table("assignments")
    op.drop_index("ix_decisions_year", "decisions")
    op.drop_index("ix_decisions_issuer", "decisions")
    op.drop_table("decisions")
