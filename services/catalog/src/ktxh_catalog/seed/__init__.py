"""Demo catalog data.

``haiphong_2081.json`` holds the indicator set of Decision 2081/QĐ-UBND (03/6/2026, UBND
thành phố Hải Phòng) as a commune reports it (seed 001: Kế hoạch của UBND xã Hà Tây): the
28 member indicators, the component indicators their rates are computed from, growth and
share indicators, the calendar (seed 001 + Decree 09/2019 cut-offs + internal lead times),
criteria sets for communes and agencies, key tasks, a thematic plan, 5-year targets and the
annual report frame. Its ``demo`` block names the demo unit (Xã Hà Tây, 10846) and the
offices responsible for the indicators, for the org-unit seed to create.

The file is the source of truth: edit it, then run the unit tests (they validate it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ktxh_catalog.adapters.json_io import snapshot_from_data
from ktxh_catalog.domain.catalog_items import CatalogSnapshot
from ktxh_catalog.domain.errors import raise_if_any
from ktxh_catalog.domain.versioning import VersionedItem

__all__ = ["HAIPHONG_2081", "SeedOffice", "demo_info", "load_haiphong_2081", "versioned_items"]

SEED_DIR = Path(__file__).parent
HAIPHONG_2081 = SEED_DIR / "haiphong_2081.json"

# collection name -> versioned item kind
KINDS = {
    "indicators": "indicator",
    "indicator_sets": "indicator_set",
    "calendars": "calendar",
    "key_tasks": "key_task",
    "thematic_plans": "thematic_plan",
    "criteria_sets": "criteria_set",
    "period_targets": "period_target",
    "report_templates": "report_template",
}


@dataclass(frozen=True)
class SeedOffice:
    code: str
    name: str
    kind: str = "office"
    consolidating: bool = False


@lru_cache(maxsize=4)
def _raw(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_haiphong_2081(path: Path = HAIPHONG_2081) -> CatalogSnapshot:
    """The seed as domain objects; refuses (``InvalidArgument``) if it does not validate."""
    result = snapshot_from_data(_raw(path))
    raise_if_any(result.errors, "Dữ liệu mẫu không hợp lệ")
    return result.snapshot


def demo_info(path: Path = HAIPHONG_2081) -> dict[str, Any]:
    """``{"province_code", "unit_code", "unit_name", "effective_from": date,
    "offices": [SeedOffice, ...]}``."""
    demo = dict(_raw(path)["demo"])
    demo["effective_from"] = date.fromisoformat(demo["effective_from"])
    demo["offices"] = [SeedOffice(**o) for o in demo["offices"]]
    return demo


def versioned_items(
    snapshot: CatalogSnapshot | None = None,
    *,
    effective_from: date | None = None,
    author: str = "seed",
) -> list[VersionedItem[Any]]:
    """Every seed item as a new versioned item (version 1), ready for a repository.
    Default ``effective_from``: the decision date in the seed's ``demo`` block."""
    snap = snapshot or load_haiphong_2081()
    start = effective_from or demo_info()["effective_from"]
    out: list[VersionedItem[Any]] = []
    for collection, kind in KINDS.items():
        for item in getattr(snap, collection).values():
            out.append(VersionedItem.create(kind, item, start, author,
                                            reason="Dữ liệu mẫu Quyết định 2081/QĐ-UBND"))
    return out
