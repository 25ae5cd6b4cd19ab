"""One entry point per direction: ``item_to_pb`` and ``item_from_pb`` for any kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from ktxh_catalog.adapters.item_wire.base import Ctx
from ktxh_catalog.adapters.item_wire.calendars import calendar_from_pb, calendar_to_pb
from ktxh_catalog.adapters.item_wire.indicators import (
    indicator_from_pb,
    indicator_set_from_pb,
    indicator_set_to_pb,
    indicator_to_pb,
)
from ktxh_catalog.adapters.item_wire.plans import (
    criteria_set_from_pb,
    criteria_set_to_pb,
    key_task_from_pb,
    key_task_to_pb,
    period_target_from_pb,
    period_target_to_pb,
    thematic_plan_from_pb,
    thematic_plan_to_pb,
)
from ktxh_catalog.adapters.item_wire.reports import report_template_from_pb, report_template_to_pb
from ktxh_catalog.domain.references import RefMaps
from ktxh_catalog.domain.versioning import Version, VersionedItem

KINDS: dict[str, tuple[str, str]] = {  # kind -> (message prefix, message field)
    "indicator": ("Indicator", "indicator"),
    "indicator_set": ("IndicatorSet", "indicator_set"),
    "key_task": ("KeyTask", "key_task"),
    "thematic_plan": ("ThematicPlan", "thematic_plan"),
    "criteria_set": ("CriteriaSet", "criteria_set"),
    "period_target": ("PeriodTarget", "period_target"),
    "report_template": ("ReportTemplate", "report_template"),
    "calendar": ("Calendar", "calendar"),
}
TO_PB: dict[str, Callable[[Any, Ctx], Message]] = {
    "indicator": indicator_to_pb, "indicator_set": indicator_set_to_pb,
    "key_task": key_task_to_pb, "thematic_plan": thematic_plan_to_pb,
    "criteria_set": criteria_set_to_pb, "period_target": period_target_to_pb,
    "report_template": report_template_to_pb, "calendar": calendar_to_pb,
}
FROM_PB: dict[str, Callable[[Any, RefMaps], Any]] = {
    "indicator": indicator_from_pb, "indicator_set": indicator_set_from_pb,
    "key_task": key_task_from_pb, "thematic_plan": thematic_plan_from_pb,
    "criteria_set": criteria_set_from_pb, "period_target": period_target_from_pb,
    "report_template": report_template_from_pb, "calendar": calendar_from_pb,
}


def item_to_pb(kind: str, item: VersionedItem[Any], ver: Version[Any], refs: RefMaps,
               province: str, version: int | None = None) -> Message:
    ctx = Ctx(item, ver, refs, province, version if version is not None else item.version)
    return TO_PB[kind](ver.payload, ctx)


def item_from_pb(kind: str, message: Message, refs: RefMaps) -> Any:
    return FROM_PB[kind](message, refs)
