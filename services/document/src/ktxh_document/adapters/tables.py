"""The document service's tables (SQLAlchemy Core). The repository maps rows to domain objects."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.idempotency import idempotency_table
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

documents = sa.Table(
    "documents",
    metadata,
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
    sa.Index("ix_documents_owner", "province_code", "owner_org_unit_code", "owner_type", "owner_id"),
    sa.Index("ix_documents_created", "created_at"),
)

# Every version ever stored; rows are only ever added (and their verification updated).
document_versions = sa.Table(
    "document_versions",
    metadata,
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
    sa.Index("ix_document_versions_sha256", "sha256"),
)

idempotency_keys = idempotency_table(metadata)  # `ktxh_platform.idempotency`

# Replica of the catalog's org-unit tree (the shape `ktxh_platform.access.sql` expects), fed by
# the catalog's org-unit events (`adapters/org_unit_replica.py`): the document service never
# reads the catalog's database, yet filters documents by unit scope (descendants, merged units)
# in SQL.
org_units = org_unit_table(metadata)
