#!/usr/bin/env python3
"""Create or update the KTXH Kafka topics (idempotent, safe to run on every release).

    python infra/kafka/create_topics.py                        # infra/kafka/topics.yaml, localhost:9092
    python create_topics.py --config /config/topics.json --prefix hp. --bootstrap-servers kafka:9092

The definition file (YAML or JSON) has `defaults`, `dlq` and `topics` (see topics.yaml).
For every topic, and its `.dlq` twin unless `dlq.enabled` is false, the script:

- creates it when missing, with its partitions, replication factor and config;
- raises the partition count when the definition asks for more (never lowers it: Kafka
  cannot, and the record key → partition mapping of existing aggregates would change);
- sets the topic config to the definition (retention etc.).

Connection settings come from flags or the environment: KAFKA_BOOTSTRAP_SERVERS,
KTXH_TOPIC_PREFIX, KAFKA_SECURITY_PROTOCOL (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL),
KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
Only the Python standard library and aiokafka are needed (both are in every KTXH image);
PyYAML is used when present, JSON otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import ssl
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("ktxh.create_topics")

TOPIC_ALREADY_EXISTS = 36


def load_definition(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - images without PyYAML get JSON from the chart
        return json.loads(text)
    return yaml.safe_load(text)


def plan(
    definition: dict[str, Any], prefix: str, replication_factor: int | None
) -> list[dict[str, Any]]:
    """Expand the definition into one entry per topic (prefix applied, dlq twins added)."""
    defaults = definition.get("defaults") or {}
    dlq = definition.get("dlq") or {}
    base_config = {k: str(v) for k, v in (defaults.get("config") or {}).items()}
    wanted: list[dict[str, Any]] = []
    for topic in definition.get("topics") or []:
        rf = replication_factor or int(
            topic.get("replicationFactor") or defaults.get("replicationFactor") or 1
        )
        config = {**base_config, **{k: str(v) for k, v in (topic.get("config") or {}).items()}}
        wanted.append(
            {
                "name": prefix + topic["name"],
                "partitions": int(topic.get("partitions") or defaults.get("partitions") or 1),
                "replicationFactor": rf,
                "config": config,
            }
        )
        if dlq.get("enabled", True):
            dlq_config = {
                **base_config,
                **{k: str(v) for k, v in (dlq.get("config") or {}).items()},
            }
            wanted.append(
                {
                    "name": prefix + topic["name"] + ".dlq",
                    "partitions": int(dlq.get("partitions") or 1),
                    "replicationFactor": rf,
                    "config": dlq_config,
                }
            )
    names = [t["name"] for t in wanted]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"duplicate topics in definition: {duplicates}")
    return wanted


def admin_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "bootstrap_servers": args.bootstrap_servers,
        "client_id": "ktxh-create-topics",
        "security_protocol": args.security_protocol,
        "request_timeout_ms": 30000,
    }
    if args.security_protocol in ("SSL", "SASL_SSL"):
        kwargs["ssl_context"] = ssl.create_default_context(
            cafile=os.environ.get("KAFKA_SSL_CAFILE") or None
        )
    if args.security_protocol.startswith("SASL"):
        kwargs["sasl_mechanism"] = os.environ.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        kwargs["sasl_plain_username"] = os.environ.get("KAFKA_SASL_USERNAME")
        kwargs["sasl_plain_password"] = os.environ.get("KAFKA_SASL_PASSWORD")
    return kwargs


async def connect(args: argparse.Namespace):
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + args.wait_seconds
    while True:
        admin = AIOKafkaAdminClient(**admin_kwargs(args))
        try:
            await admin.start()
            return admin
        except Exception as exc:  # broker not reachable yet
            await admin.close()
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"Kafka at {args.bootstrap_servers} not reachable: {exc!r}"
                ) from exc
            log.info("waiting for Kafka at %s: %r", args.bootstrap_servers, exc)
            await asyncio.sleep(2)


async def apply(args: argparse.Namespace, wanted: list[dict[str, Any]]) -> int:
    from aiokafka.admin import NewPartitions, NewTopic
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
    from aiokafka.errors import IncompatibleBrokerVersion

    admin = await connect(args)
    try:
        existing = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics()}
        missing = [t for t in wanted if t["name"] not in existing]
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(
                        t["name"],
                        t["partitions"],
                        t["replicationFactor"],
                        topic_configs=t["config"],
                    )
                    for t in missing
                ]
            )
            for error in response.topic_errors:
                name, code = error[0], error[1]
                if code and code != TOPIC_ALREADY_EXISTS:
                    raise SystemExit(f"creating {name} failed: error {code} {error[2:]}")
                log.info("created %s", name)
        for topic in wanted:
            have = existing.get(topic["name"])
            if have is not None and have < topic["partitions"]:
                try:
                    await admin.create_partitions(
                        {topic["name"]: NewPartitions(topic["partitions"])}
                    )
                    log.info(
                        "raised %s partitions %d -> %d", topic["name"], have, topic["partitions"]
                    )
                except IncompatibleBrokerVersion:
                    log.warning("broker cannot add partitions: %s keeps %d", topic["name"], have)
            elif have is not None and have > topic["partitions"]:
                log.warning(
                    "%s has %d partitions, definition asks %d: left as is",
                    topic["name"],
                    have,
                    topic["partitions"],
                )
        if args.alter_configs:
            present = [t for t in wanted if t["name"] in existing]
            if present:
                try:
                    await admin.alter_configs(
                        [
                            ConfigResource(ConfigResourceType.TOPIC, t["name"], configs=t["config"])
                            for t in present
                        ]
                    )
                    log.info("config applied to %d existing topics", len(present))
                except IncompatibleBrokerVersion:  # e.g. Kafka-protocol brokers used in tests
                    log.warning(
                        "broker does not support AlterConfigs: existing topic configs left as is"
                    )
    finally:
        await admin.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config", type=Path, default=here / "topics.yaml", help="topic definition (YAML or JSON)"
    )
    parser.add_argument(
        "--bootstrap-servers", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
    )
    parser.add_argument(
        "--prefix", default=os.environ.get("KTXH_TOPIC_PREFIX", ""), help="topic prefix, e.g. hp."
    )
    parser.add_argument(
        "--replication-factor",
        type=int,
        default=None,
        help="override (1 for a one-broker dev cluster)",
    )
    parser.add_argument(
        "--security-protocol", default=os.environ.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
    )
    parser.add_argument(
        "--no-alter-configs",
        dest="alter_configs",
        action="store_false",
        help="do not touch existing topic configs",
    )
    parser.add_argument(
        "--wait-seconds", type=float, default=float(os.environ.get("KAFKA_WAIT_SECONDS", "120"))
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan as JSON and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    wanted = plan(load_definition(args.config), args.prefix, args.replication_factor)
    if args.dry_run:
        json.dump(wanted, sys.stdout, indent=2)
        print()
        return 0
    return asyncio.run(apply(args, wanted))


if __name__ == "__main__":
    sys.exit(main())
