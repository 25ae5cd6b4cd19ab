"""Documents, their versions (with signature verification) and idempotency keys.

Revision ID: document_0002
Revises: document_0001
Create Date: 2026-11-30 03:00
"""

import sqlalchemy as sa
from alembic import op

revision = "document_0002"
down_revision = "document_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("owner_type", sa.String(60), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("owner_org_unit_code", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_documents_owner", "documents",
        ["province_code", "owner_org_unit_code", "owner_type", "owner_id"],
    )
    op.create_index("ix_documents_created", "documents", ["created_at"])
    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("object_key", sa.String(300), nullable=False, unique=True),
        sa.Column("object_version_id", sa.String(200), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date, nullable=True),
        sa.Column("signature_status", sa.String(30), nullable=True),
        sa.Column("verification", sa.JSON, nullable=True),
    )
    op.create_index("ix_document_versions_sha256", "document_versions", ["sha256"])
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_index("ix_document_versions_sha256", "document_versions")
    op.drop_table("document_versions")
    op.drop_index("ix_documents_created", "documents")
    op.drop_index("ix_documents_owner", "documents")
    op.drop_table("documents")
