"""Field paths of violations in the message's terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ktxh_platform.domain import Conflict, DomainError, FieldViolation, InvalidArgument

from ktxh_catalog.adapters.item_wire.calendars import CalendarPaths

_SEGMENT = re.compile(r"^([A-Za-z_]+)(?:\[([^\]]*)\])?$")
# (kind, parent domain name, domain name) -> proto name; parent "" = top level
_NAMES: dict[tuple[str, str, str], str] = {
    ("calendar", "", "deadline_rules"): "rules",
    ("calendar", "", "cutoff_rules"): "rules",
    ("calendar", "deadline_rules", "frequency"): "period_kind",
    ("calendar", "deadline_rules", "day"): "due.day",
    ("calendar", "deadline_rules", "month_offset"): "due.month_offset",
    ("calendar", "cutoff_rules", "frequency"): "period_kind",
    ("calendar", "cutoff_rules", "start_day"): "cutoff_start.day",
    ("calendar", "cutoff_rules", "start_month_offset"): "cutoff_start.month_offset",
    ("calendar", "cutoff_rules", "end_day"): "cutoff_end.day",
    ("calendar", "cutoff_rules", "end_month_offset"): "cutoff_end.month_offset",
    ("calendar", "overrides", "period"): "period_code",
    ("calendar", "overrides", "deadline"): "due_date",
}
_COLLECTION_PATH = re.compile(  # a path naming another catalog item
    r"^(indicators|indicator_sets|calendars|key_tasks|thematic_plans|criteria_sets"
    r"|period_targets|report_templates)\[[^\]]+\]"
)


def remap_path(kind: str, path: str, paths: CalendarPaths | None = None) -> str:
    """A domain violation path (``members[3].group``) as the path of the message field
    (``items[3].group_code``). Paths naming another catalog item
    (``indicator_sets[HP2081].members[2].frequencies``) are left as they are."""
    if not path or _COLLECTION_PATH.match(path):
        return path
    out = []
    parent = ""
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        if not m:
            out.append(seg)
            parent = seg
            continue
        name, index = m.group(1), m.group(2)
        new = _NAMES.get((kind, parent, name), name)
        if index is not None and kind == "calendar" and paths is not None and index.isdigit():
            if name == "deadline_rules":
                index = str(paths.deadline_rule.get(int(index), int(index)))
            elif name == "cutoff_rules":
                index = str(paths.cutoff_rule.get(int(index), int(index)))
        out.append(f"{new}[{index}]" if index is not None else new)
        parent = name
    return ".".join(out)


def remap_violations(kind: str, violations: Iterable[FieldViolation],
                     paths: CalendarPaths | None = None) -> list[FieldViolation]:
    return [FieldViolation(remap_path(kind, v.field, paths), v.message) for v in violations]


@contextmanager
def message_paths(kind: str, paths: CalendarPaths | None = None) -> Iterator[None]:
    """Re-raise domain errors with the message's field paths."""
    try:
        yield
    except InvalidArgument as err:
        raise InvalidArgument(remap_violations(kind, err.violations, paths), err.message) from err
    except Conflict as err:
        raise Conflict(err.message, remap_violations(kind, err.violations, paths)) from err
    except DomainError:
        raise
