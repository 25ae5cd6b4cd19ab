"""Org units (Đơn vị): the hierarchy that assigns, reports and oversees.

Pure domain: no framework imports. A unit has a kind, a code (official codes for provinces
and communes), a parent, a validity interval and, after a merger or split, successors.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    PreconditionFailed,
)


class OrgUnitKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGENCY = "agency"
    OFFICE = "office"
    FRONT = "front"


KIND_LABELS = {
    OrgUnitKind.PROVINCE: "Tỉnh/Thành phố",
    OrgUnitKind.DISTRICT: "Huyện (cũ)",
    OrgUnitKind.COMMUNE: "Xã/Phường",
    OrgUnitKind.AGENCY: "Sở/Ngành",
    OrgUnitKind.OFFICE: "Phòng/Ban",
    OrgUnitKind.FRONT: "Ủy ban MTTQ",
}

# Which kinds may sit under which parent kinds (None = top of the tree).
ALLOWED_PARENTS: dict[OrgUnitKind, set[OrgUnitKind | None]] = {
    OrgUnitKind.PROVINCE: {None},
    OrgUnitKind.DISTRICT: {OrgUnitKind.PROVINCE},
    OrgUnitKind.COMMUNE: {OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT},
    OrgUnitKind.AGENCY: {OrgUnitKind.PROVINCE},
    OrgUnitKind.OFFICE: {
        OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE, OrgUnitKind.AGENCY,
    },
    OrgUnitKind.FRONT: {OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.COMMUNE},
}

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MAX_NAME = 255


@dataclass(frozen=True)
class OrgUnitCreated(DomainEvent):
    unit: "OrgUnit"


@dataclass(frozen=True)
class OrgUnitUpdated(DomainEvent):
    unit: "OrgUnit"
    before: "OrgUnit"


@dataclass(frozen=True)
class OrgUnitMoved(DomainEvent):
    unit: "OrgUnit"
    old_parent_id: str | None


def _check_name(name: str, field_name: str = "name") -> list[FieldViolation]:
    if not name.strip():
        return [FieldViolation(field_name, "Tên đơn vị không được để trống")]
    if len(name) > MAX_NAME:
        return [FieldViolation(field_name, f"Tên đơn vị dài quá {MAX_NAME} ký tự")]
    return []


@dataclass
class OrgUnit(Aggregate):
    id: str
    code: str
    name: str
    kind: OrgUnitKind
    parent_id: str | None
    province_code: str
    valid_from: date
    valid_to: date | None = None
    short_name: str = ""
    successor_ids: list[str] = field(default_factory=list)
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def create(
        cls,
        *,
        code: str,
        name: str,
        kind: str,
        parent: "OrgUnit | None",
        province_code: str,
        valid_from: date | None = None,
        short_name: str = "",
        unit_id: str | None = None,
    ) -> "OrgUnit":
        violations: list[FieldViolation] = []
        code = code.strip()
        if not CODE_RE.match(code):
            violations.append(
                FieldViolation(
                    "code",
                    "Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (tối đa 40 ký tự)",
                )
            )
        violations += _check_name(name)
        try:
            unit_kind = OrgUnitKind(kind)
        except ValueError:
            violations.append(FieldViolation("kind", f"Loại đơn vị không hợp lệ: {kind!r}"))
            unit_kind = None
        if unit_kind is not None:
            violations += _parent_violations(unit_kind, parent)
        start = valid_from or date.today()
        if parent is not None and parent.valid_to is not None and start > parent.valid_to:
            violations.append(
                FieldViolation("valid_from", "Đơn vị cha đã hết hiệu lực trước ngày bắt đầu này")
            )
        if violations:
            raise InvalidArgument(violations)
        assert unit_kind is not None
        unit = cls(
            id=unit_id or str(uuid.uuid4()),
            code=code,
            name=name.strip(),
            kind=unit_kind,
            parent_id=parent.id if parent else None,
            province_code=province_code,
            valid_from=start,
            short_name=short_name.strip(),
            version=1,
        )
        unit.record(OrgUnitCreated(unit.snapshot()))
        return unit

    def snapshot(self) -> "OrgUnit":
        """A detached copy (for events and history); it carries no events."""

        return OrgUnit(
            id=self.id, code=self.code, name=self.name, kind=self.kind,
            parent_id=self.parent_id, province_code=self.province_code,
            valid_from=self.valid_from, valid_to=self.valid_to, short_name=self.short_name,
            successor_ids=list(self.successor_ids), updated_at=self.updated_at,
            version=self.version,
        )

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def _check_version(self, expected: int) -> None:
        if expected and expected != self.version:
            raise PreconditionFailed(
                f"Đơn vị đã được người khác sửa (phiên bản hiện tại {self.version}, "
                f"bạn đang sửa phiên bản {expected}); vui lòng tải lại"
            )

    def _bump(self) -> None:
        self.version += 1
        self.updated_at = datetime.now(UTC)

    def rename(self, *, expected_version: int, name: str | None, short_name: str | None) -> None:
        self._check_version(expected_version)
        violations = _check_name(name) if name is not None else []
        if violations:
            raise InvalidArgument(violations)
        before = self.snapshot()
        if name is not None:
            self.name = name.strip()
        if short_name is not None:
            self.short_name = short_name.strip()
        if (self.name, self.short_name) == (before.name, before.short_name):
            return
        self._bump()
        self.record(OrgUnitUpdated(self.snapshot(), before))

    def end(self, *, last_day: date, successor_ids: list[str] | None = None) -> None:
        """The unit ceases after ``last_day`` (kept for history; never deleted)."""

        if last_day < self.valid_from:
            raise InvalidArgument.single("valid_to", "Ngày kết thúc trước ngày bắt đầu hiệu lực")
        before = self.snapshot()
        self.valid_to = last_day
        self.successor_ids = list(dict.fromkeys([*self.successor_ids, *(successor_ids or [])]))
        self._bump()
        self.record(OrgUnitUpdated(self.snapshot(), before))

    def move(self, *, expected_version: int, new_parent: "OrgUnit", new_parent_ancestors: list[str]) -> None:
        """Move under ``new_parent``; ``new_parent_ancestors`` are its ancestors' ids."""

        self._check_version(expected_version)
        if new_parent.id == self.id or self.id in new_parent_ancestors:
            raise Conflict(
                "Không thể chuyển đơn vị vào chính nó hoặc đơn vị con của nó (tạo vòng lặp)",
                [FieldViolation("new_parent_id", "Đơn vị cha mới nằm trong nhánh của đơn vị này")],
            )
        violations = _parent_violations(self.kind, new_parent, "new_parent_id")
        if violations:
            raise InvalidArgument(violations)
        if new_parent.id == self.parent_id:
            return
        old_parent = self.parent_id
        self.parent_id = new_parent.id
        self._bump()
        self.record(OrgUnitMoved(self.snapshot(), old_parent))


def merge(sources: list["OrgUnit"], successor: "OrgUnit", effective_from: date) -> None:
    """Sources cease the day before ``effective_from`` and point to ``successor`` (2025 mergers:
    history rolls up to the successor). A source equal to the successor continues unchanged."""

    violations: list[FieldViolation] = []
    if not sources:
        violations.append(FieldViolation("source_ids", "Cần ít nhất một đơn vị bị sáp nhập"))
    if not successor.valid_on(effective_from):
        violations.append(
            FieldViolation("successor_id", "Đơn vị tiếp nhận không có hiệu lực vào ngày sáp nhập")
        )
    for i, source in enumerate(sources):
        if source.id == successor.id:
            continue
        if source.kind != successor.kind:
            violations.append(
                FieldViolation(
                    f"source_ids[{i}]",
                    f"{source.name} ({KIND_LABELS[source.kind]}) không cùng loại với đơn vị tiếp nhận",
                )
            )
        if effective_from <= source.valid_from or not source.valid_on(effective_from - timedelta(days=1)):
            violations.append(
                FieldViolation(f"source_ids[{i}]", f"{source.name} không còn hiệu lực trước ngày sáp nhập")
            )
    if violations:
        raise InvalidArgument(violations)
    for source in sources:
        if source.id != successor.id:
            source.end(last_day=effective_from - timedelta(days=1), successor_ids=[successor.id])


def _parent_violations(
    kind: OrgUnitKind, parent: OrgUnit | None, field_name: str = "parent_id"
) -> list[FieldViolation]:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind in allowed:
        return []
    if parent is None:
        return [FieldViolation(field_name, f"{KIND_LABELS[kind]} phải có đơn vị cha")]
    names = ", ".join(KIND_LABELS[k] for k in allowed if k is not None) or "không có"
    return [
        FieldViolation(
            field_name,
            f"{KIND_LABELS[kind]} không thể trực thuộc {KIND_LABELS[parent.kind]} "
            f"(chỉ trực thuộc: {names})",
        )
    ]


@dataclass
class OrgUnitNode:
    unit: OrgUnit
    children: list["OrgUnitNode"] = field(default_factory=list)


def build_tree(units: list[OrgUnit], root_id: str | None = None, max_depth: int = 0) -> list[OrgUnitNode]:
    """Arrange units into a forest ordered by kind then code. A unit whose parent is not in
    ``units`` becomes a root (e.g. when reading a subtree)."""

    order = list(OrgUnitKind)
    nodes = {u.id: OrgUnitNode(u) for u in sorted(units, key=lambda u: (order.index(u.kind), u.code))}
    roots: list[OrgUnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id or "")
        if node.unit.id == root_id or parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    if root_id:
        roots = [n for n in roots if n.unit.id == root_id]
    if max_depth > 0:
        _prune(roots, max_depth)
    return roots


def _prune(nodes: list[OrgUnitNode], depth: int) -> None:
    for node in nodes:
        if depth <= 1:
            node.children = []
        else:
            _prune(node.children, depth - 1)
