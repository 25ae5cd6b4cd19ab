"""Kill the consumer between its effect and its offset commit: the event is delivered again
after restart, and its effect still happens exactly once (inbox in the same transaction)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from ktxh_platform.messaging import OutboxRelay, UnitOfWork
from support import Note, count_effects, messaging_context, outbox, topic  # type: ignore[import-not-found]

CHILD = Path(__file__).parent / "consumer_child.py"


def _run_child(stack, prefix: str, crash: bool) -> subprocess.CompletedProcess:
    args = [
        sys.executable, str(CHILD), "--db", stack.db_url, "--bus", stack.bus_kind,
        "--bootstrap", stack.bootstrap, "--bus-path", str(stack.bus_path or ""),
        "--topic", topic(prefix), "--group", f"{prefix}crash",
    ]
    if crash:
        args.append("--crash")
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


async def test_killed_consumer_applies_event_once(stack, db, prefix):
    bus = stack.bus()
    await bus.start()
    await bus.ensure_topics([topic(prefix)])
    uow = UnitOfWork(db, messaging_context(prefix))
    async with uow:
        note = Note(id="n-crash")
        uow.seen.append(note)
        note.write("một lần thôi")
        await uow.commit()
    assert await OutboxRelay(db, outbox, bus, service="demo").publish_batch() == 1
    await bus.stop()

    first = _run_child(stack, prefix, crash=True)
    assert first.returncode == 137, first.stderr[-2000:]
    assert "crashing after effect" in first.stdout
    assert await count_effects(db, "một lần thôi") == 1  # the effect was committed...

    second = _run_child(stack, prefix, crash=False)  # ...the offset was not: redelivered
    assert second.returncode == 0, second.stderr[-2000:]
    assert "handled" in second.stdout
    assert await count_effects(db, "một lần thôi") == 1  # and not applied twice
