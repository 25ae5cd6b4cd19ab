"""The oversight service's tables (SQLAlchemy Core). Each aggregate is one row with the columns
the queries filter on and its whole state as a JSON payload (`adapters/json_io.py`); the
recommendations of a report are also rows of their own, for the board and the reminders."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.idempotency import idempotency_table
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

comments = sa.Table(
    "comments",
    metadata,
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
    sa.Index("ix_comments_front", "province_code", "front_unit_id"),
    sa.Index("ix_comments_addressee", "province_code", "addressee_unit_id"),
    sa.Index("ix_comments_subject", "subject_kind", "subject_id"),
)

oversight_reports = sa.Table(
    "oversight_reports",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("front_unit_id", sa.String(36), nullable=False),
    sa.Column("filed_to_unit_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Index("ix_oversight_reports_front", "province_code", "front_unit_id"),
    sa.Index("ix_oversight_reports_filed_to", "province_code", "filed_to_unit_id"),
)

# The units a report oversees (filter `overseen_unit_id`).
oversight_report_units = sa.Table(
    "oversight_report_units",
    metadata,
    sa.Column("report_id", sa.String(36), sa.ForeignKey("oversight_reports.id"), primary_key=True),
    sa.Column("unit_id", sa.String(36), primary_key=True),
)

# One row per recommendation, rewritten with its report.
recommendations = sa.Table(
    "recommendations",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("report_id", sa.String(36), sa.ForeignKey("oversight_reports.id"), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("front_unit_id", sa.String(36), nullable=False),
    sa.Column("filed_to_unit_id", sa.String(36), nullable=False),
    sa.Column("addressee_unit_id", sa.String(36), nullable=False),
    sa.Column("filed", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Index("ix_recommendations_report", "report_id"),
    sa.Index("ix_recommendations_addressee", "province_code", "addressee_unit_id"),
    sa.Index("ix_recommendations_due", "province_code", "status", "due_date"),
)

idempotency_keys = idempotency_table(metadata)  # `ktxh_platform.idempotency`

# Replica of the catalog's org-unit tree (`adapters/org_unit_replica.py`), for the scope in SQL.
org_units = org_unit_table(metadata)
