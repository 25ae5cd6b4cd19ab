"""The catalog service's tables (SQLAlchemy Core). Repositories map rows to domain objects."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.idempotency import idempotency_table

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

idempotency_keys = idempotency_table(metadata)  # `ktxh_platform.idempotency`

# Catalog items other than org units (indicators, indicator sets, key tasks, thematic plans,
# criteria sets, period targets, report templates, calendars): one generic versioned store.
# ``catalog_items`` holds the stable identity and the latest state for quick filtering;
# ``catalog_item_versions`` holds every revision (payload in the JSON import/export shape)
# and is the append-only history: who, when, why, before (previous row) and after.
catalog_items = sa.Table(
    "catalog_items",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("retired", sa.Boolean, nullable=False),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("province_code", "kind", "code", name="uq_catalog_items_code"),
    sa.Index("ix_catalog_items_kind", "province_code", "kind"),
)

catalog_item_versions = sa.Table(
    "catalog_item_versions",
    metadata,
    sa.Column("item_id", sa.String(36), sa.ForeignKey("catalog_items.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("effective_from", sa.Date, nullable=False),
    sa.Column("effective_to", sa.Date, nullable=True),  # exclusive; NULL = open
    sa.Column("retired", sa.Boolean, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),  # field -> [before, after]
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Index("ix_catalog_item_versions_in_force", "effective_from", "effective_to"),
    sa.Index("ix_catalog_item_versions_recorded", "recorded_at"),
)
