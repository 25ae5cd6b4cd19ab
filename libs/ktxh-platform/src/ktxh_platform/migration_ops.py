"""Alembic operations shared by every service's first migration (outbox and inbox tables)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_messaging_tables() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "seq"])
    op.create_table(
        "inbox",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_messaging_tables() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", "outbox")
    op.drop_table("outbox")


def create_org_unit_table(name: str = "org_units") -> None:
    """The replica of the catalog's org-unit tree (`ktxh_platform.org_units`)."""
    from ktxh_platform.org_units import org_unit_columns, org_unit_indexes

    op.create_table(name, *org_unit_columns())
    for index, columns in org_unit_indexes(name):
        op.create_index(index, name, columns)


def add_org_unit_columns(table: str, *names: str) -> None:
    """Give an older org-unit replica the columns of the shared shape it lacks (all nullable:
    existing rows get them with the unit's next event)."""
    from ktxh_platform.org_units import org_unit_columns

    by_name = {c.name: c for c in org_unit_columns()}
    for name in names:
        op.add_column(table, by_name[name])


def create_idempotency_table(name: str = "idempotency_keys") -> None:
    """The Idempotency-Key table (`ktxh_platform.idempotency`)."""
    from ktxh_platform.idempotency import idempotency_columns

    op.create_table(name, *idempotency_columns())


def adopt_idempotency_table(name: str = "idempotency_keys") -> None:
    """Move an older Idempotency-Key table (`key`, [`operation`,] `actor`, `request_hash`,
    `resource_id`, `created_at`) to the shared shape, keeping every row: the resource id
    becomes the row's JSON `result`; a table without `operation` gets '' (one namespace)."""
    from ktxh_platform.idempotency import idempotency_columns

    bind = op.get_bind()
    has_operation = "operation" in {c["name"] for c in sa.inspect(bind).get_columns(name)}
    old = sa.table(
        name, sa.column("key", sa.String), sa.column("actor", sa.String),
        sa.column("request_hash", sa.String), sa.column("resource_id", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        *([sa.column("operation", sa.String)] if has_operation else []),
    )
    rows = bind.execute(sa.select(old)).mappings().all()
    op.drop_table(name)
    create_idempotency_table(name)
    if rows:
        new = sa.table(name, *(sa.column(c.name, c.type) for c in idempotency_columns()))
        op.bulk_insert(new, [
            {"key": r["key"], "operation": r["operation"] if has_operation else "",
             "actor": r["actor"], "request_hash": r["request_hash"], "result": r["resource_id"],
             "created_at": r["created_at"]}
            for r in rows
        ])


def restore_idempotency_table(name: str = "idempotency_keys", *, with_operation: bool) -> None:
    """Undo `adopt_idempotency_table`: back to `resource_id` (and no `operation` column unless
    `with_operation`), keeping every row."""
    from ktxh_platform.idempotency import idempotency_columns

    bind = op.get_bind()
    new = sa.table(name, *(sa.column(c.name, c.type) for c in idempotency_columns()))
    rows = bind.execute(sa.select(new)).mappings().all()
    op.drop_table(name)
    columns = [
        sa.Column("key", sa.String(200), primary_key=True),
        *([sa.Column("operation", sa.String(60), primary_key=True)] if with_operation else []),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]
    old = op.create_table(name, *columns)
    if rows:
        op.bulk_insert(old, [
            {"key": r["key"], **({"operation": r["operation"]} if with_operation else {}),
             "actor": r["actor"], "request_hash": r["request_hash"], "resource_id": str(r["result"]),
             "created_at": r["created_at"]}
            for r in rows if with_operation or r["operation"] == ""
        ])
