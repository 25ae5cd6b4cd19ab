"""The org-unit replica takes the shared shape (`ktxh_platform.org_units`): the unit's name and
validity. Existing rows get them with the unit's next catalog event.

Revision ID: oversight_0003
Revises: oversight_0002
Create Date: 2026-11-30 13:00
"""

from alembic import op
from ktxh_platform.migration_ops import add_org_unit_columns

revision = "oversight_0003"
down_revision = "oversight_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_org_unit_columns("org_units", "name", "valid_from", "valid_to")


def downgrade() -> None:
    with op.batch_alter_table("org_units") as batch:
        for column in ("valid_to", "valid_from", "name"):
            batch.drop_column(column)
