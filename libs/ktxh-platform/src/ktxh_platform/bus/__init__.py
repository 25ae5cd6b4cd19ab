"""Message bus: one interface, two adapters (Kafka through aiokafka; an in-process log).

Both give at-least-once delivery per consumer group with offsets committed after the handler
returns; exactly-once *effects* come from the inbox (see ``ktxh_platform.messaging``).
"""

from ktxh_platform.bus.base import Bus, Handler, Record

__all__ = ["Bus", "Handler", "Record"]
