"""Ids and codes of the catalog's items and org units.

The domain refers to other items by code; the messages show the ids too. A use case loads a
``References`` in its unit of work, once, and hands it to whatever translates to or from the
wire (requests naming items by id, responses and events showing ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class References:
    item_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, code) -> id
    item_codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (kind, code)
    unit_ids: dict[str, str] = field(default_factory=dict)  # org unit code -> id
    unit_codes: dict[str, str] = field(default_factory=dict)  # org unit id -> code

    def id_of(self, kind: str, code: str | None) -> str:
        return self.item_ids.get((kind, code or ""), "") if code else ""

    def code_of(self, kind: str, id_or_code: str) -> str:
        """The code of an item given its id (or its code)."""
        found = self.item_codes.get(id_or_code)
        if found and found[0] == kind:
            return found[1]
        return id_or_code if (kind, id_or_code) in self.item_ids else ""

    def unit_id(self, code: str) -> str:
        return self.unit_ids.get(code, "") if code else ""


# the name the wire code has used so far
RefMaps = References
