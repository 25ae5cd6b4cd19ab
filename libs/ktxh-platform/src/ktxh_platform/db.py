"""Database access: SQLAlchemy 2 async engines on SQLite and PostgreSQL, the messaging
tables every service owns (outbox, inbox), and Alembic migrations run programmatically."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine


def messaging_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """Add the outbox and inbox tables to a service's metadata and return them."""

    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index("ix_outbox_unpublished", "published_at", "seq"),
    )
    inbox = sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    return outbox, inbox


# Alembic keeps its migration context in module globals: one migration at a time per process
# (the all-in-one process migrates seven databases).
_MIGRATION_LOCK = asyncio.Lock()


class Database:
    """One async engine per service, with an optional PostgreSQL schema of its own."""

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = url
        self.schema = schema
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = sa.engine.make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
            if schema:
                kwargs["connect_args"] = {"server_settings": {"search_path": f"{schema},public"}}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()

    async def migrate(self, script_location: Path, metadata: sa.MetaData) -> None:
        """Upgrade the schema to head with Alembic (each service has its own history)."""

        async with _MIGRATION_LOCK, self.engine.begin() as conn:
            if self.schema and not self.is_sqlite:
                await conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            await conn.run_sync(_alembic_upgrade, str(script_location), metadata, self.schema)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_upgrade(
    connection: sa.Connection, script_location: str, metadata: sa.MetaData, schema: str | None
) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    cfg.attributes["connection"] = connection
    cfg.attributes["target_metadata"] = metadata
    cfg.attributes["schema"] = schema
    command.upgrade(cfg, "head")


def run_alembic_env() -> None:
    """Body of every service's ``migrations/env.py``: online mode on the given connection."""

    from alembic import context

    cfg = context.config
    connection = cfg.attributes["connection"]
    schema = cfg.attributes.get("schema")
    context.configure(
        connection=connection,
        target_metadata=cfg.attributes["target_metadata"],
        version_table_schema=schema if connection.dialect.name != "sqlite" else None,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def wait_for(db: Database, attempts: int = 60, delay: float = 0.5) -> None:
    """Wait until the database answers (a pod may start before its database)."""

    for i in range(attempts):
        try:
            await db.ping()
            return
        except Exception:  # noqa: BLE001 - any connection error means "not yet"
            if i == attempts - 1:
                raise
            await asyncio.sleep(delay)
