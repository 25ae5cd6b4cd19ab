"""Outbox and inbox, notices with their sources and per-user read states, and the replica of
the org-unit tree.

Revision ID: notification_0001
Revises:
Create Date: 2026-11-30 06:00
"""

import sqlalchemy as sa
from alembic import op
from ktxh_platform.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "notification_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "notices",
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
    )
    op.create_index("ix_notices_unit_updated", "notices", ["province_code", "unit_id", "updated_at"])
    op.create_table(
        "notice_sources",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("unit_id", sa.String(36), primary_key=True),
        sa.Column("notice_id", sa.String(36), sa.ForeignKey("notices.id"), nullable=False),
    )
    op.create_table(
        "notice_reads",
        sa.Column("notice_id", sa.String(36), sa.ForeignKey("notices.id"), primary_key=True),
        sa.Column("subject", sa.String(200), primary_key=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("successor_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_org_units_code", "org_units", ["province_code", "code"])
    op.create_index("ix_org_units_parent", "org_units", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_org_units_parent", "org_units")
    op.drop_index("ix_org_units_code", "org_units")
    op.drop_table("org_units")
    op.drop_table("notice_reads")
    op.drop_table("notice_sources")
    op.drop_index("ix_notices_unit_updated", "notices")
    op.drop_table("notices")
    drop_messaging_tables()
