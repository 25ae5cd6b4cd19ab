"""The composition root shared by every service: settings decide which adapters are used
(SQLite or PostgreSQL, in-process bus or Kafka, local folder or S3), nowhere else.

A service declares a ``ServiceDefinition``; ``ServiceRuntime`` wires and runs it; ``cli``
gives each service its ``serve`` / ``migrate`` / ``replay-dlq`` commands.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import sqlalchemy as sa
import structlog
from prometheus_client import start_http_server

from ktxh_platform.bus.base import Bus
from ktxh_platform.db import Database, wait_for
from ktxh_platform.domain import DomainError
from ktxh_platform.auth.validator import TokenValidator
from ktxh_platform.rpc import GrpcServer, TokenAuthInterceptor
from ktxh_platform.messaging import (
    EventConsumer,
    EventTranslator,
    MessagingContext,
    OutboxRelay,
    UnitOfWork,
    no_events,
    replay_dead_letters,
    topic_name,
)
from ktxh_platform.objectstore import LocalFolderStore, ObjectStore, S3Store
from ktxh_platform.settings import ServiceSettings, settings_for
from ktxh_platform.telemetry import setup_telemetry

log = structlog.get_logger(__name__)


@dataclass
class ConsumerSpec:
    """A consumer group of this service: which (service, aggregate) topics it reads."""

    group: str
    sources: list[tuple[str, str]]
    build: Callable[["ServiceContext"], dict]  # message class -> handler


@dataclass
class ServiceDefinition:
    name: str
    metadata: sa.MetaData
    outbox: sa.Table
    inbox: sa.Table
    migrations: Path
    grpc_services: list[str]
    register: Callable[[grpc.aio.Server, "ServiceContext"], None]
    translate: EventTranslator
    aggregates: list[str] = field(default_factory=list)
    consumers: list[ConsumerSpec] = field(default_factory=list)
    uses_object_store: bool = False
    # Runs once the database is migrated, before the service reports SERVING (e.g. demo data).
    on_start: Callable[["ServiceContext"], Awaitable[None]] | None = None
    # Long-running jobs started with the service and cancelled when it stops (e.g. delivery
    # of transmissions to other systems).
    background: list[Callable[["ServiceContext"], Awaitable[None]]] = field(default_factory=list)
    # Extra console commands: ``ktxh-<svc> <name>`` runs the coroutine on a migrated database.
    commands: dict[str, tuple[str, Callable[["ServiceContext"], Awaitable[str]]]] = field(
        default_factory=dict
    )


def foundation_definition(
    name: str,
    *,
    metadata: sa.MetaData,
    outbox: sa.Table,
    inbox: sa.Table,
    migrations: Path,
    aggregates: list[str],
    uses_object_store: bool = False,
) -> ServiceDefinition:
    """A service whose API arrives with its own issue: it owns its database (outbox, inbox),
    creates its topics, and serves gRPC health and reflection only."""

    return ServiceDefinition(
        name=name, metadata=metadata, outbox=outbox, inbox=inbox, migrations=migrations,
        grpc_services=[], register=lambda server, ctx: None, translate=no_events,
        aggregates=aggregates, uses_object_store=uses_object_store,
    )


def build_bus(settings: ServiceSettings) -> Bus:
    if settings.bus == "kafka":
        from ktxh_platform.bus.kafka import KafkaBus

        assert settings.kafka_bootstrap_servers
        return KafkaBus(settings.kafka_bootstrap_servers, client_id=f"ktxh-{settings.service_name}")
    from ktxh_platform.bus.inprocess import InProcessBus

    return InProcessBus(settings.data_dir / "bus.db")


def build_object_store(settings: ServiceSettings) -> ObjectStore:
    if settings.object_store == "s3":
        assert settings.s3_endpoint and settings.s3_access_key and settings.s3_secret_key
        return S3Store(
            settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key,
            settings.s3_bucket, secure=settings.s3_secure,
        )
    return LocalFolderStore(settings.data_dir / "objects" / settings.service_name)


class ServiceContext:
    """Everything a service's entrypoints and handlers need, built from settings."""

    def __init__(
        self, definition: ServiceDefinition, settings: ServiceSettings, bus: Bus
    ) -> None:
        self.definition = definition
        self.settings = settings
        self.bus = bus
        self.db = Database(
            settings.resolved_database_url(),
            schema=settings.database_schema,
            echo=settings.database_echo,
        )
        self.relay = OutboxRelay(
            self.db, definition.outbox, bus, service=definition.name,
            interval=settings.relay_interval_seconds,
        )
        self.messaging = MessagingContext(
            service=definition.name,
            province_code=settings.province_code,
            topic_prefix=settings.topic_prefix,
            outbox=definition.outbox,
            translate=definition.translate,
            on_commit=self.relay.notify,
        )
        self.object_store = build_object_store(settings) if definition.uses_object_store else None

    def uow(self, actor: str = "") -> UnitOfWork:
        return UnitOfWork(self.db, self.messaging, actor)

    def topic(self, service: str, aggregate: str) -> str:
        return topic_name(self.settings.topic_prefix, service, aggregate)


class ServiceRuntime:
    def __init__(
        self,
        definition: ServiceDefinition,
        settings: ServiceSettings | None = None,
        *,
        bus: Bus | None = None,
        migrate_on_start: bool = True,
    ) -> None:
        self.settings = settings or settings_for(definition.name)
        self.owns_bus = bus is None
        self.ctx = ServiceContext(definition, self.settings, bus or build_bus(self.settings))
        self.definition = definition
        self.migrate_on_start = migrate_on_start
        self.grpc: GrpcServer | None = None  # created in start(): gRPC aio binds to the running loop
        self.validator: TokenValidator | None = None
        self.consumers: list[EventConsumer] = []
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def port(self) -> int:
        assert self.grpc is not None, "not started"
        return self.grpc.port

    def topics(self) -> list[str]:
        d, ctx = self.definition, self.ctx
        own = [ctx.topic(d.name, a) for a in d.aggregates]
        read = [ctx.topic(s, a) for c in d.consumers for s, a in c.sources]
        return [*own, *read, *(t + ".dlq" for t in read)]

    async def migrate(self) -> None:
        await wait_for(self.ctx.db)
        await self.ctx.db.migrate(self.definition.migrations, self.definition.metadata)

    async def start(self) -> None:
        """Serve gRPC at once (health NOT_SERVING), then become SERVING when ready."""

        self.validator = TokenValidator(
            self.settings.required_oidc_issuer(), self.settings.oidc_audience,
            client_id=f"ktxh-{self.definition.name}",
        )
        auth = TokenAuthInterceptor(
            self.validator, service=self.definition.name, province=self.settings.province_code
        )
        self.grpc = GrpcServer(
            self.settings.grpc_host, self.settings.resolved_grpc_port(),
            self.definition.grpc_services, auth=auth,
        )
        self.definition.register(self.grpc.server, self.ctx)
        await self.grpc.start()
        if self.migrate_on_start:
            await self.migrate()
        else:
            await wait_for(self.ctx.db)
        if self.owns_bus:
            await self.ctx.bus.start()
        if self.settings.ensure_topics:
            await self.ctx.bus.ensure_topics(self.topics())
        if isinstance(self.ctx.object_store, S3Store):
            await self.ctx.object_store.ensure_bucket()
        for spec in self.definition.consumers:
            consumer = EventConsumer(
                self.ctx.db, self.definition.inbox, self.ctx.bus,
                service=self.definition.name, group=f"{self.definition.name}.{spec.group}",
                handlers=spec.build(self.ctx), max_attempts=self.settings.consumer_max_attempts,
            )
            consumer.subscribe([self.ctx.topic(s, a) for s, a in spec.sources])
            self.consumers.append(consumer)
        self._tasks.append(asyncio.create_task(self.ctx.relay.run()))
        self._tasks += [asyncio.create_task(job(self.ctx)) for job in self.definition.background]
        if self.definition.on_start is not None:
            await self.definition.on_start(self.ctx)
        await self.grpc.set_serving(await self.ctx.bus.ready())
        log.info("service_started", service=self.definition.name, grpc_port=self.port)

    async def stop(self) -> None:
        assert self.grpc is not None
        await self.grpc.set_serving(False)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.owns_bus:
            await self.ctx.bus.stop()
        await self.grpc.stop()
        if self.validator is not None:
            await self.validator.aclose()
        await self.ctx.db.dispose()


async def _serve(runtime: ServiceRuntime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if runtime.settings.metrics_port:
        start_http_server(runtime.settings.metrics_port)
    await runtime.start()
    await stop.wait()
    await runtime.stop()


async def _run_command(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    command: Callable[[ServiceContext], Awaitable[str]],
) -> str:
    """Run a one-off command; its events go to the outbox and the running service relays them."""

    runtime = ServiceRuntime(definition, settings)
    await runtime.migrate()
    try:
        return await command(runtime.ctx)
    finally:
        await runtime.ctx.db.dispose()


def cli(definition_factory: Callable[[], ServiceDefinition]) -> None:
    """``ktxh-<svc> [serve|migrate|replay-dlq TOPIC]`` — configuration from the environment."""

    definition = definition_factory()
    parser = argparse.ArgumentParser(prog=f"ktxh-{definition.name}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the gRPC service (default)")
    sub.add_parser("migrate", help="upgrade the database schema and exit")
    replay = sub.add_parser("replay-dlq", help="republish dead-lettered events to their topic")
    replay.add_argument("topic", help="the dead-letter topic, e.g. ktxh.catalog.org_unit.v1.dlq")
    for name, (help_text, _) in definition.commands.items():
        sub.add_parser(name, help=help_text)
    args = parser.parse_args()
    setup_telemetry(f"ktxh-{definition.name}")
    settings = settings_for(definition.name)
    if args.command == "migrate":
        runtime = ServiceRuntime(definition, settings)
        asyncio.run(runtime.migrate())
    elif args.command in definition.commands:
        try:
            print(asyncio.run(_run_command(definition, settings, definition.commands[args.command][1])))
        except (ValueError, DomainError) as err:
            raise SystemExit(f"ktxh-{definition.name} {args.command}: {err}") from None
    elif args.command == "replay-dlq":
        n = asyncio.run(replay_dead_letters(build_bus(settings), args.topic, group=definition.name))
        print(f"replayed {n} events from {args.topic}")
    else:
        runtime = ServiceRuntime(definition, settings, migrate_on_start=settings.migrate_on_start)
        asyncio.run(_serve(runtime))
