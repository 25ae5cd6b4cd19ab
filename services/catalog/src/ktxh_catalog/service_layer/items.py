"""Use cases for the versioned catalogs (indicators, indicator sets, key tasks, thematic plans,
criteria sets, period targets, report templates, calendars).

Every write validates the item alone (domain ``validate``) and against the catalog in force
on its effective date (references exist, frequencies allowed, no cycle, calendars have the
rules the sets need), and refuses with every violation at once. Nothing is half-written: a
use case is one transaction, and an import writes all of its items or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from ktxh_catalog.adapters import json_io, xlsx_io
from ktxh_catalog.domain.calendars import Calendar, Schedule
from ktxh_catalog.domain.catalog_items import (
    COLLECTION_KINDS,
    ITEM_KINDS,
    KIND_COLLECTIONS,
    KIND_LABELS,
    CatalogSnapshot,
    IndicatorSet,
    copy_snapshot,
    snapshot_of,
)
from ktxh_catalog.domain.indicators import Frequency, Indicator
from ktxh_catalog.domain.offices import office_names
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_catalog.domain.periods import Period
from ktxh_catalog.domain.references import References
from ktxh_catalog.domain.search import normalize
from ktxh_catalog.domain.versioning import ChangeEntry, Version, VersionedItem, diff
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork
from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import AuthorizationError, Principal
from ktxh_platform.domain import (
    Conflict,
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PreconditionFailed,
)

KINDS = ITEM_KINDS
VIETNAM = timezone(timedelta(hours=7))


def today() -> date:
    """Today in Vietnam (UTC+7): the default effective date."""
    return datetime.now(VIETNAM).date()


def require_writer(principal: Principal) -> Scope:
    """The access policy's scope for changing catalogs (403 without the role)."""
    try:
        return authorize(principal, Resource.CATALOG, Action.WRITE)
    except AuthorizationError as err:
        raise AuthorizationError(
            err.required,
            "Chỉ chuyên viên kế hoạch hoặc quản trị viên của đơn vị chủ quản được thay đổi danh mục",
        ) from None


def require_reader(principal: Principal, province_code: str) -> Scope:
    """Catalogs are province-wide: every role reads its own province's, no other (404).
    Every read use case checks it first (``province_code``: the unit of work's)."""
    scope = authorize(principal, Resource.CATALOG, Action.READ)
    if scope.province != province_code:
        raise NotFound("Không tìm thấy danh mục")
    return scope


def parse_day(value: str, field_name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgument.single(
            field_name, f"Ngày không hợp lệ: {value!r} (dạng YYYY-MM-DD)"
        ) from exc


def _author(principal: Principal) -> str:
    return principal.username or principal.subject


@dataclass(frozen=True)
class ItemView:
    """An item, the revision to show, and the ids of what it refers to (loaded in the same
    unit of work)."""

    item: VersionedItem[Any]
    ver: Version[Any]
    refs: References = field(default_factory=References, compare=False)


# ====================================================================== commands


class Definition(Protocol):
    """An item's definition as a request states it. Decoded by the use case once it has
    loaded the references (a request may name other items by id) and, for an update, the
    current item (a partial update is merged into its latest revision)."""

    def decode(self, refs: References, current: ItemView | None) -> Any: ...


@dataclass(frozen=True)
class Given:
    """A definition already in domain terms (tests, seeds)."""

    payload: Any

    def decode(self, refs: References, current: ItemView | None) -> Any:
        return self.payload


@dataclass(frozen=True)
class CreateItem:
    kind: str
    definition: Definition
    effective_from: date | None = None  # default: today
    reason: str = ""
    idempotency_key: str = ""


@dataclass(frozen=True)
class ReviseItem:
    kind: str
    id: str  # id or code
    definition: Definition
    expected_version: int = 0
    effective_from: date | None = None  # default: today
    reason: str = ""


@dataclass(frozen=True)
class RetireItem:
    kind: str
    id: str  # id or code
    expected_version: int = 0
    valid_to: date | None = None  # last day in force; default: today
    reason: str = ""


# ====================================================================== validation


async def load_snapshot(uow: CatalogUnitOfWork, day: date) -> CatalogSnapshot:
    """Every catalog item in force (not retired) on ``day``."""
    return snapshot_of({kind: await uow.items.active_payloads(kind, day) for kind in KINDS})


def _key(v: FieldViolation) -> tuple[str, str]:
    return (v.field, v.message)


def _check_change(
    snap: CatalogSnapshot, changes: dict[tuple[str, str], Any]
) -> tuple[dict[tuple[str, str], list[FieldViolation]], list[FieldViolation]]:
    """Apply ``{(kind, code): payload or None (removed)}`` to a copy of ``snap`` and validate.
    Returns the violations of each changed item (paths relative to it) and the *new*
    violations of other items (catalog paths)."""
    baseline = {_key(v) for v in snap.validate()}
    after = copy_snapshot(snap)
    for (kind, code), payload in changes.items():
        coll = getattr(after, KIND_COLLECTIONS[kind])
        if payload is None:
            coll.pop(code, None)
        else:
            coll[code] = payload
    own: dict[tuple[str, str], list[FieldViolation]] = {k: [] for k in changes}
    prefixes = {f"{KIND_COLLECTIONS[k]}[{c}].": (k, c) for k, c in changes}
    others: list[FieldViolation] = []
    for v in after.validate():
        prefix = next((p for p in prefixes if v.field.startswith(p)), None)
        if prefix is not None and changes[prefixes[prefix]] is not None:
            own[prefixes[prefix]].append(FieldViolation(v.field[len(prefix):], v.message))
        elif _key(v) not in baseline:
            others.append(v)
    return own, others


async def _check_references(
    uow: CatalogUnitOfWork, kind: str, payload: Any, day: date
) -> None:
    snap = await load_snapshot(uow, day)
    own, others = _check_change(snap, {(kind, payload.code): payload})
    violations = own[(kind, payload.code)] + others
    unit_code = getattr(payload, "org_unit_code", "")
    if kind == "period_target" and unit_code and not await uow.items.org_unit_exists(unit_code):
        violations.append(FieldViolation("org_unit_code", f"Đơn vị '{unit_code}' không tồn tại"))
    if violations:
        raise InvalidArgument(violations)


# ====================================================================== writes


def _request_hash(*parts: Any) -> str:
    data = json.dumps([json_io.to_data(p) for p in parts], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


async def create_item(cmd: CreateItem, uow: CatalogUnitOfWork, principal: Principal) -> ItemView:
    require_writer(principal)
    day = cmd.effective_from or today()
    operation = f"create_{cmd.kind}"
    async with uow:
        refs = await uow.items.references()
        payload = cmd.definition.decode(refs, None)
        request_hash = _request_hash(payload, day.isoformat(), cmd.reason)
        if cmd.idempotency_key:
            prior = await uow.idempotency.result(cmd.idempotency_key, principal.subject,
                                                 operation=operation)
            if prior:
                if prior[0] != request_hash:
                    raise Conflict(
                        "Idempotency-Key đã được dùng cho một yêu cầu khác",
                        [FieldViolation("idempotency_key", "Khoá đã dùng với nội dung khác")],
                    )
                existing = await uow.items.get(prior[1], cmd.kind)
                assert existing is not None
                return ItemView(existing, existing.latest, refs)
        item = VersionedItem.create(cmd.kind, payload, day, _author(principal), reason=cmd.reason)
        if await uow.items.get_by_code(cmd.kind, item.code):
            raise Conflict(
                f"{KIND_LABELS[cmd.kind]} mã {item.code} đã tồn tại",
                [FieldViolation("code", f"Mã '{item.code}' đã tồn tại")],
            )
        await _check_references(uow, cmd.kind, payload, day)
        await uow.items.add(item)
        if cmd.idempotency_key:
            await uow.idempotency.remember(
                cmd.idempotency_key, principal.subject, request_hash, item.id, operation=operation
            )
        await uow.commit()
        return ItemView(item, item.latest, _with_item(refs, item))


def _with_item(refs: References, item: VersionedItem[Any]) -> References:
    """``refs`` with an item created after they were loaded."""
    refs.item_ids.setdefault((item.kind, item.code), item.id)
    refs.item_codes.setdefault(item.id, (item.kind, item.code))
    return refs


async def _load(uow: CatalogUnitOfWork, kind: str, id_or_code: str) -> VersionedItem[Any]:
    item = await uow.items.find(kind, id_or_code)
    if item is None:
        raise NotFound(f"Không tìm thấy {KIND_LABELS[kind].lower()} '{id_or_code}'")
    return item


async def revise_item(cmd: ReviseItem, uow: CatalogUnitOfWork, principal: Principal) -> ItemView:
    """A new revision in force from ``effective_from`` (default today); earlier dates keep
    reading the previous revision. A definition equal to the latest revision changes
    nothing."""
    require_writer(principal)
    if not cmd.id:
        raise InvalidArgument.single("id", "Phải cho biết mục cần sửa (id)")
    day = cmd.effective_from or today()
    async with uow:
        item = await _load(uow, cmd.kind, cmd.id)
        refs = await uow.items.references()
        payload = cmd.definition.decode(refs, ItemView(item, item.latest, refs))
        stored = item.version
        latest = item.latest
        if payload == latest.payload and not latest.retired:
            if cmd.expected_version and cmd.expected_version != stored:
                raise PreconditionFailed(
                    f"Danh mục '{item.code}' đã được người khác sửa (phiên bản hiện tại "
                    f"{stored}, bạn đang sửa phiên bản {cmd.expected_version}); hãy tải lại"
                )
            return ItemView(item, item.as_of(today()) or latest, refs)
        item.revise(payload, day, _author(principal), reason=cmd.reason,
                    expected_version=cmd.expected_version or None)
        await _check_references(uow, cmd.kind, payload, day)
        await uow.items.save(item, stored)
        await uow.commit()
        return ItemView(item, item.latest, refs)


async def retire_item(cmd: RetireItem, uow: CatalogUnitOfWork, principal: Principal) -> ItemView:
    """The item stays in force until ``valid_to`` (default today) and is retired from the
    next day. Nothing is deleted; reads as of an earlier date still return it. Refused
    while other items in force then still refer to it."""
    require_writer(principal)
    last_day = cmd.valid_to or today()
    day = last_day + timedelta(days=1)
    async with uow:
        item = await _load(uow, cmd.kind, cmd.id)
        stored = item.version
        try:
            item.retire(day, _author(principal), reason=cmd.reason,
                        expected_version=cmd.expected_version or None)
        except InvalidArgument as err:
            raise InvalidArgument(
                [FieldViolation("valid_to" if v.field == "effective_from" else v.field,
                                v.message) for v in err.violations], err.message,
            ) from err
        _own, others = _check_change(await load_snapshot(uow, day),
                                     {(cmd.kind, item.code): None})
        if others:
            raise InvalidArgument(
                others,
                f"Không thể ngừng sử dụng '{item.code}': còn danh mục khác đang tham chiếu đến",
            )
        await uow.items.save(item, stored)
        refs = await uow.items.references()
        await uow.commit()
        return ItemView(item, item.latest, refs)


# ====================================================================== reads


def _shown(item: VersionedItem[Any], as_of: date | None) -> Version[Any]:
    if as_of is not None:
        ver = item.as_of(as_of)
        if ver is None:
            raise NotFound(
                f"{KIND_LABELS[item.kind]} '{item.code}' chưa có hiệu lực vào ngày "
                f"{as_of.strftime('%d/%m/%Y')}"
            )
        return ver
    return item.as_of(today()) or item.latest


async def get_item(kind: str, id_or_code: str, as_of: date | None,
                   uow: CatalogUnitOfWork, principal: Principal) -> ItemView:
    require_reader(principal, uow.province_code)
    async with uow:
        item = await _load(uow, kind, id_or_code)
        return ItemView(item, _shown(item, as_of), await uow.items.references())


@dataclass(frozen=True)
class ListFilter:
    """Filters of the list rpcs; each kind uses the ones its request has."""

    indicator_set: str = ""  # id or code
    group_code: str = ""
    field: str = ""  # lĩnh vực, compared folded
    frequency: Frequency | None = None
    year: int = 0
    unit_kind: str = ""
    lead_office: str = ""
    thematic_plan: str = ""  # id or code
    indicator: str = ""  # id or code
    org_unit_code: str = ""
    org_unit_id: str = ""  # when no org_unit_code is given
    start_year: int = 0


async def _code_of(
    uow: CatalogUnitOfWork, kind: str, ref: str, field_name: str
) -> VersionedItem[Any]:
    item = await uow.items.find(kind, ref)
    if item is None:
        raise InvalidArgument.single(field_name, f"Không tìm thấy {KIND_LABELS[kind].lower()} "
                                                 f"'{ref}'")
    return item


async def _predicate(kind: str, f: ListFilter, day: date, uow: CatalogUnitOfWork,
                     refs: References) -> Callable[[Any], bool]:
    tests: list[Callable[[Any], bool]] = []
    if kind == "indicator":
        if f.indicator_set:
            iset = await _code_of(uow, "indicator_set", f.indicator_set, "indicator_set_id")
            ver = iset.as_of(day) or iset.latest
            members = {m.indicator_code for m in ver.payload.items}
            tests.append(lambda p: p.code in members)
        if f.group_code:
            tests.append(lambda p: p.group_code == f.group_code)
        if f.field:
            tests.append(lambda p: normalize(p.field or "") == normalize(f.field))
        if f.frequency:
            tests.append(lambda p: f.frequency in p.frequencies)
    elif kind == "indicator_set":
        if f.unit_kind:
            tests.append(lambda p: f.unit_kind in p.applies_to_kinds)
    elif kind == "key_task":
        if f.year:
            tests.append(lambda p: p.year == f.year)
        if f.lead_office:
            tests.append(lambda p: p.lead_office == f.lead_office)
        if f.thematic_plan:
            plan = await _code_of(uow, "thematic_plan", f.thematic_plan, "thematic_plan_id")
            tasks = set((plan.as_of(day) or plan.latest).payload.key_task_codes)
            tests.append(lambda p: p.code in tasks)
    elif kind == "thematic_plan":
        if f.year:
            tests.append(lambda p: p.start_date.year <= f.year <= p.end_date.year)
    elif kind == "criteria_set":
        if f.year:
            tests.append(lambda p: p.year == f.year)
        if f.unit_kind:
            tests.append(lambda p: f.unit_kind in {k.value for k in p.applies_to_kinds})
    elif kind == "period_target":
        if f.indicator:
            ind = await _code_of(uow, "indicator", f.indicator, "indicator_id")
            tests.append(lambda p: p.indicator_code == ind.code)
        unit_code = f.org_unit_code
        if f.org_unit_id and not unit_code:
            unit_code = refs.unit_codes.get(f.org_unit_id, "")
            if not unit_code:
                raise InvalidArgument.single("org_unit_id", "Không tìm thấy đơn vị")
        if unit_code:
            tests.append(lambda p: p.org_unit_code == unit_code)
        if f.start_year:
            tests.append(lambda p: p.start_year == f.start_year)
    elif kind == "report_template":
        if f.frequency:
            tests.append(lambda p: f.frequency in p.period_kinds)
        if f.indicator_set:
            iset = await _code_of(uow, "indicator_set", f.indicator_set, "indicator_set_id")
            tests.append(lambda p: p.indicator_set_code == iset.code)
    return lambda p: all(t(p) for t in tests)


async def list_items(
    kind: str,
    uow: CatalogUnitOfWork,
    principal: Principal,
    *,
    filters: ListFilter = ListFilter(),
    query: str = "",
    as_of: date | None = None,
    include_retired: bool = False,
    page_size: int = 0,
    page_token: str = "",
) -> tuple[list[ItemView], str, int]:
    """Items in force on ``as_of`` (default today), matching the filters and every word of
    ``query`` regardless of diacritics and case, ordered by code, one page at a time."""
    require_reader(principal, uow.province_code)
    if page_size < 0 or page_size > 500:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 500")
    size = page_size or 100
    offset = decode_token(page_token)
    day = as_of or today()
    async with uow:
        refs = await uow.items.references()
        keep = await _predicate(kind, filters, day, uow, refs)
        found = [
            ItemView(item, ver, refs)
            for item, ver in await uow.items.in_force(kind, day, include_retired=include_retired,
                                                        query=query)
            if keep(ver.payload)
        ]
    page = found[offset:offset + size]
    token = encode_token(offset + size) if offset + size < len(found) else ""
    return page, token, len(found)


async def list_revisions(item_id: str, uow: CatalogUnitOfWork,
                         principal: Principal) -> VersionedItem[Any]:
    require_reader(principal, uow.province_code)
    async with uow:
        item = await uow.items.get(item_id)
        if item is None:
            raise NotFound(f"Không tìm thấy mục danh mục '{item_id}'")
        return item


async def list_changes(
    uow: CatalogUnitOfWork,
    principal: Principal,
    *,
    aggregate_type: str = "",
    aggregate_id: str = "",
    since: datetime | None = None,
    page_size: int = 0,
    page_token: str = "",
) -> tuple[list[ChangeEntry], str, int]:
    require_reader(principal, uow.province_code)
    if aggregate_type and aggregate_type not in (*KINDS, "org_unit"):
        raise InvalidArgument.single(
            "aggregate_type", f"Loại danh mục không hợp lệ: {aggregate_type!r} (org_unit, "
                              + ", ".join(KINDS) + ")")
    if page_size < 0 or page_size > 1000:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 1000")
    size = page_size or 100
    offset = decode_token(page_token)
    async with uow:
        rows, total = await uow.items.history(
            aggregate_type=aggregate_type, aggregate_id=aggregate_id, since=since,
            limit=size, offset=offset,
        )
    token = encode_token(offset + size) if offset + size < total else ""
    return rows, token, total


@dataclass(frozen=True)
class ResolvedSchedule:
    calendar: VersionedItem[Calendar]
    ver: Version[Calendar]
    schedule: Schedule


async def resolve_deadlines(
    uow: CatalogUnitOfWork,
    principal: Principal,
    *,
    calendar: str = "",
    indicator_set: str = "",
    period: Period,
    as_of: date | None = None,
) -> ResolvedSchedule:
    require_reader(principal, uow.province_code)
    day = as_of or period.end
    async with uow:
        if calendar:
            item = await _load(uow, "calendar", calendar)
        elif indicator_set:
            iset = await _load(uow, "indicator_set", indicator_set)
            set_ver = iset.as_of(day) or iset.latest
            code = set_ver.payload.calendar_code
            found = await uow.items.get_by_code("calendar", code) if code else None
            if found is None:
                raise InvalidArgument.single("indicator_set_id",
                                             f"Bộ chỉ số '{iset.code}' chưa có lịch báo cáo")
            item = found
        else:
            raise InvalidArgument.single("calendar_id", "Phải chọn lịch báo cáo hoặc bộ chỉ số")
    ver = item.as_of(day)
    if ver is None or ver.retired:
        ver = item.as_of(today())
    if ver is None or ver.retired:
        ver = next((v for v in reversed(item.versions) if not v.retired), None)
    if ver is None:
        raise NotFound(f"Lịch báo cáo '{item.code}' đã ngừng sử dụng")
    try:
        schedule = ver.payload.schedule(period)
    except InvalidArgument as err:
        raise InvalidArgument(
            [FieldViolation("period.kind" if v.field == "period_kind" else v.field, v.message)
             for v in err.violations], err.message,
        ) from err
    return ResolvedSchedule(item, ver, schedule)


# ====================================================================== import / export


@dataclass(frozen=True)
class ImportIssue:
    sheet: str
    row: int
    column: str
    field: str
    message: str


@dataclass(frozen=True)
class PlanEntry:
    kind: str
    code: str
    action: str  # create, revise, unchanged
    changed_fields: tuple[str, ...] = ()


@dataclass
class ImportOutcome:
    dry_run: bool
    applied: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    plan: list[PlanEntry] = field(default_factory=list)
    indicator_set_id: str = ""

    def count(self, action: str) -> int:
        return sum(1 for p in self.plan if p.action == action)


def _issue(v: FieldViolation) -> ImportIssue:
    return ImportIssue("", 0, "", v.field, v.message)


def _sniff(content: bytes, fmt: str) -> str:
    if fmt:
        return fmt
    return "xlsx" if content[:2] == b"PK" else "json"


async def import_file(
    content: bytes,
    uow: CatalogUnitOfWork,
    principal: Principal,
    *,
    fmt: str = "",
    dry_run: bool = True,
    effective_from: date | None = None,
    reason: str = "",
    indicator_set_only: bool = True,
) -> ImportOutcome:
    """Check (dry run) or write an indicator set file (XLSX or JSON) or a JSON catalog
    document. Every error is reported; with any error nothing is written."""
    require_writer(principal)
    day = effective_from or today()
    fmt = _sniff(content, fmt)
    outcome = ImportOutcome(dry_run=dry_run)
    author = _author(principal)
    reason = reason or "Nhập từ tệp"
    async with uow:
        snap = await load_snapshot(uow, day)
        incoming: dict[tuple[str, str], Any] = {}
        row_errors = False
        if fmt == "xlsx":
            if not indicator_set_only:
                raise InvalidArgument.single("content", "Chỉ nhập tệp Excel qua ImportIndicatorSet")
            parsed = xlsx_io.import_indicator_set(
                content, offices=office_names(), known=snap.indicators,
                calendars=snap.calendars)
            outcome.errors += [
                ImportIssue(e.sheet, e.row or 0, e.column or "", "", e.message)
                for e in parsed.errors
            ]
            row_errors = bool(parsed.errors)
            if parsed.indicator_set is not None and not parsed.errors:
                incoming[("indicator_set", parsed.indicator_set.code)] = parsed.indicator_set
            for code, ind in parsed.indicators.items():
                incoming[("indicator", code)] = ind
        else:
            result = json_io.load_catalog(content, validate=False)
            outcome.errors += [_issue(v) for v in result.errors]
            row_errors = bool(result.errors)
            for coll, kind in COLLECTION_KINDS.items():
                for code, payload in getattr(result.snapshot, coll).items():
                    incoming[(kind, code)] = payload
            if indicator_set_only and not row_errors and not result.snapshot.indicator_sets:
                outcome.errors.append(ImportIssue("", 0, "", "indicator_sets",
                                                  "Tệp không có bộ chỉ số nào"))
        if not incoming and not outcome.errors:
            outcome.errors.append(ImportIssue("", 0, "", "content", "Tệp không có mục nào"))

        # what would change, checked against everything in force on the effective date
        items: dict[tuple[str, str], VersionedItem[Any] | None] = {}
        for (kind, code), payload in incoming.items():
            existing = await uow.items.get_by_code(kind, code)
            items[(kind, code)] = existing
            if existing is None:
                outcome.plan.append(PlanEntry(kind, code, "create"))
            elif existing.latest.payload == payload and not existing.latest.retired:
                outcome.plan.append(PlanEntry(kind, code, "unchanged"))
            else:
                changed = tuple(diff(existing.latest.payload, payload))
                outcome.plan.append(PlanEntry(kind, code, "revise", changed))
        if not row_errors:
            own, others = _check_change(snap, incoming)
            for (kind, code), violations in own.items():
                prefix = f"{KIND_LABELS[kind]} '{code}': "
                outcome.errors += [
                    ImportIssue("", 0, "", f"{KIND_COLLECTIONS[kind]}[{code}].{v.field}",
                                prefix + v.message)
                    for v in violations
                ]
            outcome.errors += [_issue(v) for v in others]

        # apply in this transaction (rolled back on a dry run or any error)
        if not outcome.errors:
            for entry in outcome.plan:
                key = (entry.kind, entry.code)
                payload, existing = incoming[key], items[key]
                try:
                    if entry.action == "create":
                        item = VersionedItem.create(entry.kind, payload, day, author,
                                                    reason=reason)
                        await uow.items.add(item)
                        existing = item
                    elif entry.action == "revise":
                        assert existing is not None
                        stored = existing.version
                        existing.revise(payload, day, author, reason=reason)
                        await uow.items.save(existing, stored)
                except Conflict:
                    raise  # a concurrent writer: the transaction cannot go on
                except DomainError as err:
                    for v in getattr(err, "violations", None) or [FieldViolation("", err.message)]:
                        outcome.errors.append(ImportIssue(
                            "", 0, "", f"{KIND_COLLECTIONS[entry.kind]}[{entry.code}]."
                            f"{v.field}".rstrip("."),
                            f"{KIND_LABELS[entry.kind]} '{entry.code}': {v.message}"))
                if entry.kind == "indicator_set" and existing is not None and (
                        entry.action != "create" or not dry_run):
                    outcome.indicator_set_id = existing.id
        if not outcome.errors and not dry_run:
            await uow.commit()
            outcome.applied = True
    if outcome.errors:
        outcome.indicator_set_id = ""
    return outcome


def _closure(iset: IndicatorSet, indicators: dict[str, Indicator]) -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    stack = [m.indicator_code for m in iset.items]
    while stack:
        code = stack.pop()
        if code in out or code not in indicators:
            continue
        out[code] = indicators[code]
        stack.extend(indicators[code].direct_dependencies())
    return out


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    filename: str
    content_type: str


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export_indicator_set(
    id_or_code: str, uow: CatalogUnitOfWork, principal: Principal, *, fmt: str = "xlsx",
    as_of: date | None = None,
) -> ExportedFile:
    require_reader(principal, uow.province_code)
    day = as_of or today()
    async with uow:
        item = await _load(uow, "indicator_set", id_or_code)
        ver = item.as_of(day)
        if ver is None or ver.retired:
            raise NotFound(f"Bộ chỉ số '{item.code}' không có hiệu lực vào ngày "
                           f"{day.strftime('%d/%m/%Y')}")
        snap = await load_snapshot(uow, day)
    iset: IndicatorSet = ver.payload
    if fmt == "json":
        sub = CatalogSnapshot(indicators=_closure(iset, snap.indicators),
                              indicator_sets={iset.code: iset})
        for code in {iset.calendar_for(m) for m in iset.items} - {""}:
            if code in snap.calendars:
                sub.calendars[code] = snap.calendars[code]
        return ExportedFile(json_io.dump_catalog(sub).encode(), f"{iset.code}.json",
                            "application/json")
    content = xlsx_io.export_indicator_set(iset, snap.indicators, offices=office_names())
    return ExportedFile(content, f"{iset.code}.xlsx", XLSX_TYPE)


async def export_catalog(uow: CatalogUnitOfWork, principal: Principal, *,
                         as_of: date | None = None) -> ExportedFile:
    require_reader(principal, uow.province_code)
    day = as_of or today()
    async with uow:
        snap = await load_snapshot(uow, day)
    return ExportedFile(json_io.dump_catalog(snap).encode(), f"danh-muc-{day.isoformat()}.json",
                        "application/json")


# ====================================================================== demo data


async def load_demo_catalog(uow: CatalogUnitOfWork) -> int:
    """Create the seed items (Decision 2081/QĐ-UBND) that do not exist yet, effective from
    the decision's date. Idempotent: existing items (even edited or retired) are kept."""
    from ktxh_catalog.seed import demo_info, load_haiphong_2081, versioned_items

    items = versioned_items(load_haiphong_2081(), effective_from=demo_info()["effective_from"],
                            author="seed")
    created = 0
    async with uow:
        for item in items:
            if await uow.items.get_by_code(item.kind, item.code) is None:
                await uow.items.add(item)
                created += 1
        await uow.commit()
    return created


def changes_json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                               default=str)
