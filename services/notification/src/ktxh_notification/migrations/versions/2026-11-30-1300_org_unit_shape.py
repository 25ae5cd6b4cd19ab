"""The org-unit replica takes the shared shape (`ktxh_platform.org_units`): the unit's validity,
and a name of up to 500 characters that an event may leave empty. Existing rows get their
validity with the unit's next catalog event.

Revision ID: notification_0002
Revises: notification_0001
Create Date: 2026-11-30 13:00
"""

import sqlalchemy as sa
from alembic import op
from ktxh_platform.migration_ops import add_org_unit_columns

revision = "notification_0002"
down_revision = "notification_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_org_unit_columns("org_units", "valid_from", "valid_to")
    with op.batch_alter_table("org_units") as batch:
        batch.alter_column("name", existing_type=sa.String(255), type_=sa.String(500), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("UPDATE org_units SET name = '' WHERE name IS NULL"))
    with op.batch_alter_table("org_units") as batch:
        batch.alter_column("name", existing_type=sa.String(500), type_=sa.String(255), nullable=False)
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
