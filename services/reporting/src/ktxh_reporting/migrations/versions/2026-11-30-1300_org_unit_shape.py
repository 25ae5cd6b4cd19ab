"""The org-unit read model takes the shared replica shape (`ktxh_platform.org_units`) under its
table name `org_units_rm`: an open validity is NULL (was ''), a name of up to 500 characters
may be empty, units are indexed by (province, code) and by parent, and the unread
`events_applied` counter goes (the count of applied events is the consumer's inbox).

Revision ID: reporting_0102
Revises: reporting_0101
Create Date: 2026-11-30 13:00
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0102"
down_revision = "reporting_0101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_units_rm") as batch:
        batch.alter_column("name", existing_type=sa.String(255), type_=sa.String(500), nullable=True)
        batch.alter_column("valid_from", existing_type=sa.String(10), nullable=True)
        batch.alter_column("valid_to", existing_type=sa.String(10), nullable=True)
        batch.alter_column("successor_ids", existing_type=sa.JSON, server_default=None)
        batch.drop_column("events_applied")
        batch.drop_index("ix_org_units_rm_province_code")
        batch.create_index("ix_org_units_rm_code", ["province_code", "code"])
        batch.create_index("ix_org_units_rm_parent", ["parent_id"])
    op.execute(sa.text("UPDATE org_units_rm SET valid_from = NULL WHERE valid_from = ''"))
    op.execute(sa.text("UPDATE org_units_rm SET valid_to = NULL WHERE valid_to = ''"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE org_units_rm SET valid_from = '' WHERE valid_from IS NULL"))
    op.execute(sa.text("UPDATE org_units_rm SET valid_to = '' WHERE valid_to IS NULL"))
    op.execute(sa.text("UPDATE org_units_rm SET name = '' WHERE name IS NULL"))
    with op.batch_alter_table("org_units_rm") as batch:
        batch.drop_index("ix_org_units_rm_parent")
        batch.drop_index("ix_org_units_rm_code")
        batch.create_index("ix_org_units_rm_province_code", ["province_code"])
        batch.add_column(sa.Column("events_applied", sa.Integer, nullable=False, server_default="1"))
        batch.alter_column("successor_ids", existing_type=sa.JSON, server_default="[]")
        batch.alter_column("valid_to", existing_type=sa.String(10), nullable=False)
        batch.alter_column("valid_from", existing_type=sa.String(10), nullable=False)
        batch.alter_column("name", existing_type=sa.String(500), type_=sa.String(255), nullable=False)
