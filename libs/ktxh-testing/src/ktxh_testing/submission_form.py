"""The report form of seed 001 (Kế hoạch UBND xã Hà Tây): its 28 indicators, each with the
office that enters it, as the JSON lines of `POST /api/v1/submissions` (`lines`). Names, types
and dimensions come from the catalog's seed file, so the form and the catalog never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEED = (
    Path(__file__).parents[4] / "services" / "catalog" / "src" / "ktxh_catalog" / "seed"
    / "haiphong_2081.json"
)
COMMUNE = "10846"  # Xã Hà Tây
PKT, PVHXH, TTHCC, VP = (f"{COMMUNE}.{c}" for c in ("PKT", "PVHXH", "TTHCC", "VP"))

# seed 001's table: row number -> office ("Đơn vị thực hiện")
_OFFICE_BY_ROW = {
    **{n: PKT for n in (*range(1, 13), 19, 20, 21, 24, 26, 27, 28)},
    **{n: PVHXH for n in (13, 14, 15, 16, 17, 18, 25)},
    **{n: TTHCC for n in (22, 23)},
}
_CODE_BY_ROW = {
    **{n: f"HP2081.XIII.{n:02d}" for n in range(1, 26)},
    26: "HP2081.D.01", 27: "HP2081.D.02", 28: "HP2081.D.03",
}
_TYPES = {"money": "number", "number": "number", "integer": "integer", "percent": "percent",
          "text": "text"}
_ADDITIVE = {"school_level"}  # the members add up to the total; a price basis does not


def seed_001_lines() -> list[dict[str, Any]]:
    indicators = {i["code"]: i for i in json.loads(SEED.read_text(encoding="utf-8"))["indicators"]}
    lines = []
    for row in range(1, 29):
        ind = indicators[_CODE_BY_ROW[row]]
        lines.append({
            "indicator_code": ind["code"],
            "name": ind["name"],
            "office_code": _OFFICE_BY_ROW[row],
            "value_type": _TYPES.get(ind.get("value_type") or "number", "number"),
            "unit": ind.get("unit") or "",
            "required": True,
            "dimensions": [
                {"code": d["code"], "members": [m["code"] for m in d["members"]],
                 "additive": d["code"] in _ADDITIVE}
                for d in ind.get("dimensions") or []
            ],
        })
    return lines


def sample_value(line: dict[str, Any], row: int) -> str:
    """A plausible value for a line (percent within 0–100, whole numbers for integers)."""
    if line["value_type"] == "percent":
        return str(50 + row)
    if line["value_type"] == "integer":
        return str(10 + row)
    return f"{1000 + row * 10}.5"


def figure_keys(line: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure keys of a line: the total, or one per member of its first dimension."""
    if not line["dimensions"]:
        return [{"indicator_code": line["indicator_code"], "members": []}]
    d = line["dimensions"][0]
    return [
        {"indicator_code": line["indicator_code"],
         "members": [{"dimension_code": d["code"], "member_code": m}]}
        for m in d["members"]
    ]
