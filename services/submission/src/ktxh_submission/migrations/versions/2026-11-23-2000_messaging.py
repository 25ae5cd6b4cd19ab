"""Outbox and inbox of the submission service.

Revision ID: submission_0001
Revises:
Create Date: 2026-11-23 20:00
"""

from ktxh_platform.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "submission_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()


def downgrade() -> None:
    drop_messaging_tables()
