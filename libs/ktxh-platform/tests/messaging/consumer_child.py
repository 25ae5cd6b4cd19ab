"""A consumer process for the crash test. With ``--crash`` it dies (SIGKILL-like ``_exit``)
right after the event's effect and inbox row are committed, before the offset is committed."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from google.protobuf import wrappers_pb2  # noqa: E402

from ktxh_platform.bus.base import Record  # noqa: E402
from ktxh_platform.db import Database  # noqa: E402
from ktxh_platform.messaging import EventConsumer  # noqa: E402
from support import build_bus, inbox, record_effect  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--bus")
    parser.add_argument("--bootstrap", default="")
    parser.add_argument("--bus-path", default="")
    parser.add_argument("--topic")
    parser.add_argument("--group")
    parser.add_argument("--crash", action="store_true")
    args = parser.parse_args()

    def crash(record: Record) -> None:
        if args.crash:
            print("crashing after effect", flush=True)
            os._exit(137)

    db = Database(args.db)
    bus = build_bus(args.bus, bootstrap=args.bootstrap, path=Path(args.bus_path) if args.bus_path else None)
    consumer = EventConsumer(
        db, inbox, bus, service="demo", group=args.group,
        handlers={wrappers_pb2.StringValue: record_effect}, after_effect=crash,
    )
    done = asyncio.Event()

    async def handle(record: Record) -> None:
        await consumer.handle(record)
        print("handled", flush=True)
        done.set()

    bus.subscribe([args.topic], args.group, handle)
    await bus.start()
    await asyncio.wait_for(done.wait(), timeout=60)
    await asyncio.sleep(0.5)  # let the offset commit reach the broker
    await bus.stop()
    await db.dispose()


asyncio.run(main())
