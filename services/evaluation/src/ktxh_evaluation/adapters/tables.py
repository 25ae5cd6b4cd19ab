"""The evaluation service's tables (SQLAlchemy Core).

Rounds and evaluations are stored as one row each: the columns the queries filter and sort on,
and the whole aggregate as a JSON ``payload`` (``adapters/codec.py``) in the domain's own field
names. Beside them: the replica of the catalog's unit tree (scope in SQL) and the timeliness of
the units' reports, fed by the submission events.
"""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

evaluation_rounds = sa.Table(
    "evaluation_rounds",
    metadata,
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

evaluations = sa.Table(
    "evaluations",
    metadata,
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
    sa.Index("ix_evaluations_unit", "org_unit_id"),
)

# Published editions of a round's results: the frozen header (groups, round) and one row per
# unit, read through the caller's scope (migration evaluation_0003).
result_editions = sa.Table(
    "result_editions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("round_id", sa.String(36), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.UniqueConstraint("round_id", "revision", name="uq_result_editions_round_revision"),
)

result_edition_rows = sa.Table(
    "result_edition_rows",
    metadata,
    sa.Column("edition_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
)

# Timeliness of each unit's reports (one row per report), from the submission events.
unit_reports = sa.Table(
    "unit_reports",
    metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("period_code", sa.String(20), nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("days_late", sa.Integer, nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_unit_reports_unit_period", "org_unit_id", "period_code"),
)

# Replica of the catalog's org-unit tree (the shape `ktxh_platform.access.sql` expects), fed by
# the catalog's org-unit events (`adapters/org_unit_replica.py`), as in the document service.
org_units = org_unit_table(metadata)
