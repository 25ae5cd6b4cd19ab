"""Use cases for org units: plain async functions taking a command and a unit of work."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitKind, OrgUnitNode, build_tree, merge
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork
from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import AuthorizationError, Principal
from ktxh_platform.domain import Conflict, FieldViolation, InvalidArgument, NotFound


@dataclass(frozen=True)
class CreateOrgUnit:
    code: str
    name: str
    kind: str
    parent_id: str | None
    valid_from: date | None = None
    short_name: str = ""
    idempotency_key: str = ""


@dataclass(frozen=True)
class RenameOrgUnit:
    id: str
    expected_version: int
    name: str | None = None
    short_name: str | None = None


@dataclass(frozen=True)
class MoveOrgUnit:
    id: str
    expected_version: int
    new_parent_id: str


def require_admin(principal: Principal) -> Scope:
    """The access policy's scope for changing org units (403 without the role)."""
    try:
        return authorize(principal, Resource.ORG_UNIT, Action.WRITE)
    except AuthorizationError as err:
        raise AuthorizationError(
            err.required, "Chỉ quản trị viên cấp tỉnh được thay đổi danh mục đơn vị"
        ) from None


def read_scope(principal: Principal) -> Scope:
    return authorize(principal, Resource.ORG_UNIT, Action.READ)


def parse_day(value: str, field_name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgument.single(field_name, f"Ngày không hợp lệ: {value!r} (dạng YYYY-MM-DD)") from exc


async def create_org_unit(cmd: CreateOrgUnit, uow: CatalogUnitOfWork, principal: Principal) -> OrgUnit:
    scope = require_admin(principal)
    request_hash = hashlib.sha256(json.dumps(asdict(cmd), default=str, sort_keys=True).encode()).hexdigest()
    async with uow:
        if cmd.idempotency_key:
            prior = await uow.idempotency.result(
                cmd.idempotency_key, principal.subject, operation="create_org_unit")
            if prior:
                if prior[0] != request_hash:
                    raise Conflict(
                        "Idempotency-Key đã được dùng cho một yêu cầu khác",
                        [FieldViolation("idempotency_key", "Khoá đã dùng với nội dung khác")],
                    )
                existing = await uow.org_units.get(prior[1])
                assert existing is not None
                return existing
        parent = None
        if cmd.parent_id:
            parent = await uow.org_units.get(cmd.parent_id, scope)
            if parent is None:
                raise InvalidArgument.single("parent_id", "Không tìm thấy đơn vị cha")
        unit = OrgUnit.create(
            code=cmd.code, name=cmd.name, kind=cmd.kind, parent=parent,
            province_code=uow.province_code, valid_from=cmd.valid_from, short_name=cmd.short_name,
        )
        if await uow.org_units.get_by_code(uow.province_code, unit.code):
            raise Conflict(
                f"Mã đơn vị {unit.code} đã tồn tại",
                [FieldViolation("code", f"Mã đơn vị {unit.code} đã tồn tại")],
            )
        await uow.org_units.add(unit)
        if cmd.idempotency_key:
            await uow.idempotency.remember(
                cmd.idempotency_key, principal.subject, request_hash, unit.id, operation="create_org_unit"
            )
        await uow.commit()
        return unit


async def _load(uow: CatalogUnitOfWork, unit_id: str, scope: Scope) -> OrgUnit:
    """The unit if it is in `scope`; outside it, the unit does not exist (404)."""
    unit = await uow.org_units.get(unit_id, scope)
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị {unit_id}")
    return unit


async def rename_org_unit(cmd: RenameOrgUnit, uow: CatalogUnitOfWork, principal: Principal) -> OrgUnit:
    scope = require_admin(principal)
    async with uow:
        unit = await _load(uow, cmd.id, scope)
        before = unit.snapshot()
        unit.rename(expected_version=cmd.expected_version, name=cmd.name, short_name=cmd.short_name)
        if unit.version != before.version:
            await uow.org_units.save(unit, before, "update")
            await uow.commit()
        return unit


async def move_org_unit(cmd: MoveOrgUnit, uow: CatalogUnitOfWork, principal: Principal) -> OrgUnit:
    scope = require_admin(principal)
    async with uow:
        unit = await _load(uow, cmd.id, scope)
        parent = await uow.org_units.get(cmd.new_parent_id, scope) if cmd.new_parent_id else None
        if parent is None:
            raise InvalidArgument.single("new_parent_id", "Không tìm thấy đơn vị cha mới")
        before = unit.snapshot()
        unit.move(
            expected_version=cmd.expected_version, new_parent=parent,
            new_parent_ancestors=await uow.org_units.ancestors(parent.id),
        )
        if unit.version != before.version:
            await uow.org_units.save(unit, before, "move")
            await uow.commit()
        return unit


@dataclass(frozen=True)
class MergeOrgUnits:
    source_ids: list[str]
    successor_id: str
    effective_from: date
    legal_basis: str = ""


async def merge_org_units(
    cmd: MergeOrgUnits, uow: CatalogUnitOfWork, principal: Principal
) -> tuple[list[OrgUnit], OrgUnit]:
    """Merge units into a successor (e.g. communes merged in 2025). The sources and their units
    still valid on the merge date end the day before; nothing is deleted."""

    scope = require_admin(principal)
    async with uow:
        successor = await uow.org_units.get(cmd.successor_id, scope)
        if successor is None:
            raise InvalidArgument.single("successor_id", "Không tìm thấy đơn vị tiếp nhận")
        sources: list[OrgUnit] = []
        for i, source_id in enumerate(dict.fromkeys(cmd.source_ids)):
            source = await uow.org_units.get(source_id, scope)
            if source is None:
                raise InvalidArgument.single(f"source_ids[{i}]", f"Không tìm thấy đơn vị {source_id}")
            sources.append(source)
        before = {u.id: u.snapshot() for u in sources}
        merge(sources, successor, cmd.effective_from)
        last_day = cmd.effective_from - timedelta(days=1)
        for source in sources:
            if source.id == successor.id:
                continue
            await uow.org_units.save(source, before[source.id], "merge", cmd.legal_basis)
            for child in await uow.org_units.descendants(source.id, cmd.effective_from):
                if child.id == source.id:
                    continue
                uow.seen.append(child)
                child_before = child.snapshot()
                child.end(last_day=last_day)
                await uow.org_units.save(child, child_before, "end", cmd.legal_basis)
        await uow.commit()
        return sources, successor


async def get_org_unit(
    unit_id: str, as_of: date | None, uow: CatalogUnitOfWork, principal: Principal
) -> OrgUnit:
    scope = read_scope(principal)
    async with uow:
        unit = await _load(uow, unit_id, scope)
        if as_of and not unit.valid_on(as_of):
            raise NotFound(f"Đơn vị {unit.code} không có hiệu lực vào ngày {as_of.isoformat()}")
        return unit


async def list_org_units(
    uow: CatalogUnitOfWork,
    *,
    principal: Principal,
    parent_id: str = "",
    kind: str = "",
    query: str = "",
    as_of: date | None = None,
    page_size: int = 100,
    page_token: str = "",
) -> tuple[list[OrgUnit], str, int]:
    if page_size < 0 or page_size > 500:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 500")
    try:
        unit_kind = OrgUnitKind(kind) if kind else None
    except ValueError as exc:
        raise InvalidArgument.single("kind", f"Loại đơn vị không hợp lệ: {kind!r}") from exc
    scope = read_scope(principal)
    async with uow:
        return await uow.org_units.list(
            uow.province_code, parent_id=parent_id or None, kind=unit_kind, query=query,
            as_of=as_of, page_size=page_size or 100, page_token=page_token, scope=scope,
        )


async def org_unit_tree(
    uow: CatalogUnitOfWork,
    *,
    principal: Principal,
    root_id: str = "",
    as_of: date | None = None,
    max_depth: int = 0,
) -> list[OrgUnitNode]:
    scope = read_scope(principal)
    async with uow:
        if root_id:
            await _load(uow, root_id, scope)
            units = await uow.org_units.descendants(root_id, as_of, scope)
        else:
            units = await uow.org_units.all(uow.province_code, as_of, scope)
        return build_tree(units, root_id or None, max_depth)
