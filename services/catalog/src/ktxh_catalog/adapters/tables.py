"""The catalog service's tables (SQLAlchemy Core). Repositories map rows to domain objects."""

from __future__ import annotations

import sqlalchemy as sa

from ktxh_platform.db import messaging_tables

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

org_units = sa.Table(
    "org_units",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("short_name", sa.String(120), nullable=False, server_default=""),
    sa.Column("name_folded", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("parent_id", sa.String(36), sa.ForeignKey("org_units.id"), nullable=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("successor_ids", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("province_code", "code", name="uq_org_units_province_code"),
    sa.Index("ix_org_units_parent", "parent_id"),
    sa.Index("ix_org_units_kind", "kind"),
)

# Append-only history: who changed what, when, before and after.
org_unit_history = sa.Table(
    "org_unit_history",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit_id", sa.String(36), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=False),
    sa.Column("reason", sa.String(255), nullable=False, server_default=""),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("operation", sa.String(60), primary_key=True),
    sa.Column("actor", sa.String(200), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("resource_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
