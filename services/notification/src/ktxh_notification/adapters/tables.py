"""The notification service's tables (SQLAlchemy Core). The repository maps rows to domain objects."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

# One row per notice to a unit; events of one group for one unit are gathered into one row.
notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("unit_id", sa.String(36), nullable=False),
    sa.Column("group_key", sa.String(300), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("link", sa.String(300), nullable=False),
    sa.Column("group_body", sa.Text, nullable=False),
    sa.Column("group_link", sa.String(300), nullable=False),
    sa.Column("source_event_type", sa.String(200), nullable=False),
    sa.Column("source_event_id", sa.String(64), nullable=False),
    sa.Column("item_count", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("unit_id", "group_key", name="uq_notices_group"),
    sa.Index("ix_notices_unit_updated", "province_code", "unit_id", "updated_at"),
)

# Every event turned into a notice for a unit: a redelivered or replayed event (even under
# another consumer group) is recognised here and changes nothing.
notice_sources = sa.Table(
    "notice_sources",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("unit_id", sa.String(36), primary_key=True),
    sa.Column("notice_id", sa.String(36), sa.ForeignKey("notices.id"), nullable=False),
)

# Per-user read state: a notice is unread for a user until a row exists for (notice, user).
notice_reads = sa.Table(
    "notice_reads",
    metadata,
    sa.Column("notice_id", sa.String(36), sa.ForeignKey("notices.id"), primary_key=True),
    sa.Column("subject", sa.String(200), primary_key=True),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
)

# Replica of the catalog's org-unit tree (`adapters/org_unit_replica.py`): the service never
# reads the catalog's database, yet resolves a reader's unit code (and home unit) in SQL.
org_units = org_unit_table(metadata)
