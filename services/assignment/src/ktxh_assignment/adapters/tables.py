"""The assignment service's tables (SQLAlchemy Core). The repository maps rows to domain objects."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.idempotency import idempotency_table
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

decisions = sa.Table(
    "decisions",
    metadata,
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
    sa.Index("ix_decisions_issuer", "province_code", "issuer_unit_id", "status"),
    sa.Index("ix_decisions_year", "province_code", "year"),
)

# One row per thing given to one unit. Rows of an issued decision are never deleted: a later
# decision's assignment supersedes one (status, effective_to, superseded_by_id).
assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("decision_id", sa.String(36), sa.ForeignKey("decisions.id"), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("assignee_unit_id", sa.String(36), nullable=False),
    sa.Column("role", sa.String(14), nullable=False),
    sa.Column("assigner_unit_id", sa.String(36), nullable=False),
    # unit-independent identity of the subject: "target:<indicator>[dim=member]@<period>",
    # "key_task:<id>", "thematic_plan:<id>", "criteria_set:<id>"
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
    sa.Index("ix_assignments_decision", "decision_id"),
    sa.Index("ix_assignments_subject", "province_code", "assignee_unit_id", "subject_key"),
    sa.Index("ix_assignments_status", "province_code", "status", "issued_on"),
)

idempotency_keys = idempotency_table(metadata)  # `ktxh_platform.idempotency`

# Replica of the catalog's org-unit tree (the shape `ktxh_platform.access.sql` expects), fed by
# the catalog's org-unit events (`adapters/org_unit_replica.py`), as in the document service.
org_units = org_unit_table(metadata)
