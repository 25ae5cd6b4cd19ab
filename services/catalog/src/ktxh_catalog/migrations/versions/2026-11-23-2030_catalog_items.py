"""Catalog items (indicators, indicator sets, key tasks, thematic plans, criteria sets, period
targets, report templates, calendars) and their revisions.

Revision ID: catalog_0002
Revises: catalog_0001
Create Date: 2026-11-23 20:30
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_0002"
down_revision = "catalog_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_items",
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
    )
    op.create_index("ix_catalog_items_kind", "catalog_items", ["province_code", "kind"])
    op.create_table(
        "catalog_item_versions",
        sa.Column("item_id", sa.String(36), sa.ForeignKey("catalog_items.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("effective_to", sa.Date, nullable=True),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_catalog_item_versions_in_force", "catalog_item_versions",
        ["effective_from", "effective_to"],
    )
    op.create_index(
        "ix_catalog_item_versions_recorded", "catalog_item_versions", ["recorded_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_catalog_item_versions_recorded", "catalog_item_versions")
    op.drop_index("ix_catalog_item_versions_in_force", "catalog_item_versions")
    op.drop_table("catalog_item_versions")
    op.drop_index("ix_catalog_items_kind", "catalog_items")
    op.drop_table("catalog_items")
