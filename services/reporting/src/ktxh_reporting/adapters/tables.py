"""The reporting service's tables (SQLAlchemy Core)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

# Read model of org units, fed by catalog events (reporting never reads catalog's database):
# the shared replica shape (`ktxh_platform.org_units`) under this service's table name.
org_units_rm = org_unit_table(metadata, "org_units_rm")

# Figures of accepted reports: one row per report x figure key, replaced as a whole when the
# report is accepted again, deleted when it is reopened (docs/reporting.md).
facts = sa.Table(
    "facts",
    metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("figure_key", sa.String(400), primary_key=True),  # domain.figures.FigureRef.text
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),  # actual | estimate
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("value", sa.String(60), nullable=False),  # decimal string; empty for text
    sa.Column("text_value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_facts_lookup", "indicator_code", "period_code", "org_unit_id"),
    sa.Index("ix_facts_updated", "province_code", "updated_at"),
)

class ExactDecimal(sa.types.TypeDecorator):
    """Exact decimals: NUMERIC on PostgreSQL (added up there); text on SQLite, whose numbers
    are floats (added up in Python)."""

    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(sa.String(60) if dialect.name == "sqlite" else sa.Numeric())

    def process_bind_param(self, value, dialect):
        return str(value) if value is not None and dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return Decimal(value) if value is not None and dialect.name == "sqlite" else value


DECIMAL = ExactDecimal()

# Each unit's contribution to roll-ups over units (domain.rollups.Contribution) per figure key
# and stored period (domain.rollups.tracked_periods): its figure built over time, and the
# numerator/denominator (value·weight/weight) pair. Recomputed by the consumer from `facts`
# in the transaction that changes them; a report reads these rows added up over the subtree
# (docs/reporting.md "Roll-ups at scale").
contributions = sa.Table(
    "contributions",
    metadata,
    sa.Column("period_code", sa.String(24), primary_key=True),
    sa.Column("org_unit_id", sa.String(36), primary_key=True),
    sa.Column("figure_key", sa.String(400), primary_key=True),  # kind actual
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),  # the year whose figures it comes from
    sa.Column("value", DECIMAL, nullable=True),
    sa.Column("num", DECIMAL, nullable=True),
    sa.Column("den", DECIMAL, nullable=True),
    sa.Index("ix_contributions_unit", "org_unit_id", "year", "indicator_code"),
    sa.Index("ix_contributions_indicator", "province_code", "indicator_code"),
)

# The state of every report the read model heard of (progress, timeliness, and the version
# that orders events of one report: an older event never overrides a newer one).
report_states = sa.Table(
    "report_states",
    metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("org_unit_code", sa.String(40), nullable=False),
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("calendar_code", sa.String(40), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # sent | returned | accepted | reopened
    sa.Column("deadline", sa.String(10), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("timeliness", sa.String(12), nullable=False),
    sa.Column("days_late", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_report_states_period", "period_code", "org_unit_id"),
)

# Revisions of catalog indicators (the rules roll-ups follow), one row per revision, so a
# period is read against the revision in force for it.
indicator_revisions = sa.Table(
    "indicator_revisions",
    metadata,
    sa.Column("indicator_id", sa.String(36), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(80), nullable=False, index=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("valid_from", sa.String(10), nullable=False),
    sa.Column("retired", sa.Boolean, nullable=False),
    sa.Column("rule", sa.JSON, nullable=False),  # domain.rules.Rule as a dict
)

# Targets from issued assignments (assignment events), with the interval they are in force.
targets = sa.Table(
    "targets",
    metadata,
    sa.Column("assignment_id", sa.String(36), primary_key=True),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("figure_key", sa.String(400), nullable=False),  # with kind actual
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("target_value", sa.String(60), nullable=False),
    sa.Column("target_value_max", sa.String(60), nullable=False),
    sa.Column("comparison", sa.String(12), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("effective_from", sa.String(10), nullable=False),
    sa.Column("effective_to", sa.String(10), nullable=False),
    sa.Column("front_unit_ids", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_targets_lookup", "indicator_code", "org_unit_id"),
)

# --- report2: published editions, upward connectors and their delivery log ----------------

published_reports = sa.Table(
    "published_reports",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("org_unit_code", sa.String(40), nullable=False),
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("report_kind", sa.String(20), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("report_table", sa.JSON, nullable=False),  # the frozen ReportTable (to_dict)
    sa.Column("document_id", sa.String(36), nullable=True),
    sa.Column("published_by", sa.String(100), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("org_unit_code", "period_code", "report_kind", "revision",
                        name="uq_published_reports_revision"),
)

connectors = sa.Table(
    "connectors",
    metadata,
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

transmissions = sa.Table(
    "transmissions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("connector_id", sa.String(36), sa.ForeignKey("connectors.id"), nullable=False),
    sa.Column("org_unit_code", sa.String(40), nullable=False),
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("source", sa.String(120), nullable=False),  # what caused it; unique per connector
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
    sa.Index("ix_transmissions_due", "status", "next_attempt_at"),
)
