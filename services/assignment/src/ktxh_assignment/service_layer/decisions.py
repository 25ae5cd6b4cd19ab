"""Use cases of the assignment service: one per RPC, each a plain async function taking a
command, a unit of work and the principal; one unit of work each (calls to other services
happen before it opens, with the caller's own token).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta

import structlog

from ktxh_assignment.domain.cascade import CascadeRow, IndicatorInfo, check_cascade
from ktxh_assignment.domain.decisions import (
    SUBJECT_FIELD,
    Assignment,
    AssignmentKind,
    Decision,
    DecisionStatus,
    Header,
    Target,
    overdue,
    utcnow,
)
from ktxh_assignment.service_layer import policy
from ktxh_assignment.service_layer.ports import Catalog, Documents
from ktxh_assignment.service_layer.unit_of_work import (
    AssignmentFilter,
    AssignmentUnitOfWork,
    DecisionFilter,
)
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, FieldViolation, InvalidArgument, NotFound

log = structlog.get_logger(__name__)

MAX_VIOLATIONS = 50  # a 34,000-row matrix with one bad column must not produce 34,000 errors


@dataclass(frozen=True)
class AssignmentRules:
    """Configuration the use cases obey (``KTXH_ASSIGNMENT_*``)."""

    require_signed_decision: bool = True
    ack_reminder_days: int = 5


# ------------------------------------------------------------------------------ commands


@dataclass(frozen=True)
class CreateDecision:
    issuer_unit_id: str
    header: Header
    assignments: list[Assignment] = field(default_factory=list)
    idempotency_key: str = ""


@dataclass(frozen=True)
class UpdateDecision:
    decision_id: str
    header: Header
    expected_version: int = 0


@dataclass(frozen=True)
class ReplaceAssignments:
    decision_id: str
    assignments: list[Assignment]
    expected_version: int = 0


@dataclass(frozen=True)
class IssueDecision:
    decision_id: str
    document_id: str = ""
    expected_version: int = 0


@dataclass(frozen=True)
class RevokeDecision:
    decision_id: str
    reason: str
    expected_version: int = 0


@dataclass(frozen=True)
class AcknowledgeAssignment:
    assignment_id: str
    note: str = ""
    expected_version: int = 0


# ------------------------------------------------------------------------------ helpers


def _as_of(h: Header) -> date:
    if h.effective_from or h.issued_on:
        return h.effective_from or h.issued_on  # type: ignore[return-value]
    if h.year:
        return date(h.year, 1, 1)
    return date(int(h.plan_period[:4]), 1, 1) if h.plan_period else date.today()


def _period_end(h: Header) -> date | None:
    if h.year:
        return date(h.year, 12, 31)
    if h.plan_period:
        return date(int(h.plan_period[-4:]), 12, 31)
    return None


def _bounded(violations: list[FieldViolation]) -> list[FieldViolation]:
    if len(violations) <= MAX_VIOLATIONS:
        return violations
    rest = len(violations) - MAX_VIOLATIONS
    return [*violations[:MAX_VIOLATIONS], FieldViolation("assignments", f"… và {rest} lỗi khác")]


async def _indicator_info(
    codes: set[str], header: Header, catalog: Catalog, principal: Principal
) -> dict[str, IndicatorInfo]:
    """The indicators among ``codes`` in force on the decision's effective date, or (coming
    into force later in the period) on the last day of its period."""
    if not codes:
        return {}
    as_of, period_end = _as_of(header), _period_end(header)
    info = await catalog.indicators(codes, as_of, principal)
    if codes - info.keys() and period_end and period_end != as_of:
        info.update(await catalog.indicators(codes - info.keys(), period_end, principal))
    return info


async def _check_catalog(
    items: list[Assignment], header: Header, catalog: Catalog, principal: Principal
) -> list[Assignment]:
    """Validate the subjects against the catalog (one call per kind of reference) and copy
    each target's unit of measure from its indicator (or dimension member). An indicator is
    known if it is in force on the decision's effective date or on the last day of its period."""
    out: list[FieldViolation] = []
    codes = {a.subject.indicator_code for a in items if isinstance(a.subject, Target)}
    info = await _indicator_info(codes, header, catalog, principal)
    refs: dict[AssignmentKind, set[str]] = {}
    for a in items:
        if not isinstance(a.subject, Target):
            ref = next(iter(asdict(a.subject).values()))
            refs.setdefault(a.kind, set()).add(ref)
    missing = {kind: await catalog.missing(kind, ids, principal) for kind, ids in refs.items()}
    result = []
    for i, a in enumerate(items):
        s = a.subject
        path = f"assignments[{i}].{SUBJECT_FIELD[type(s)]}"
        if isinstance(s, Target):
            ind = info.get(s.indicator_code)
            if ind is None:
                out.append(FieldViolation(
                    f"{path}.key.indicator_code",
                    f"Không có chỉ số “{s.indicator_code}” có hiệu lực trong kỳ giao (danh mục chỉ số)",
                ))
                result.append(a)
                continue
            uom = ind.unit_of_measure
            for m in s.members:
                members = ind.dimensions.get(m.dimension_code)
                if members is None:
                    out.append(FieldViolation(
                        f"{path}.key.members",
                        f"Chỉ số {s.indicator_code} không có chiều “{m.dimension_code}”",
                    ))
                elif m.member_code not in members:
                    out.append(FieldViolation(
                        f"{path}.key.members",
                        f"Chiều {m.dimension_code} của chỉ số {s.indicator_code} không có thành viên “{m.member_code}”",
                    ))
                elif members[m.member_code]:
                    uom = members[m.member_code]
            a.subject = replace(s, unit_of_measure=uom)
        else:
            ref = next(iter(asdict(s).values()))
            if ref in missing.get(a.kind, set()):
                name = {AssignmentKind.KEY_TASK: "nhiệm vụ trọng tâm", AssignmentKind.THEMATIC_PLAN: "kế hoạch chuyên đề",
                        AssignmentKind.CRITERIA_SET: "bộ tiêu chí đánh giá"}[a.kind]
                field_name = next(iter(asdict(s)))
                out.append(FieldViolation(f"{path}.{field_name}", f"Không có {name} “{ref}” trong danh mục"))
        result.append(a)
    if out:
        raise InvalidArgument(_bounded(out), "Nội dung giao không khớp danh mục")
    return result


async def _check_units(
    uow: AssignmentUnitOfWork, principal: Principal, d: Decision, items: list[Assignment]
) -> None:
    """Assignees exist (in the writer's scope for a unit writer); Front committees are Front
    committees."""
    scope = policy.write_scope(principal)
    out: list[FieldViolation] = []
    assignees = {a.assignee_unit_id for a in items}
    fronts = set(d.header.front_unit_ids) | {f for a in items for f in a.front_unit_ids}
    kinds = await uow.units.existing(uow.province_code, assignees | fronts)
    bad_units: set[str] = set()
    for unit in assignees:
        if unit and (unit not in kinds or (not scope.province_wide and not await uow.units.in_scope(scope, unit))):
            bad_units.add(unit)
    for i, a in enumerate(items):
        if a.assignee_unit_id in bad_units:
            out.append(FieldViolation(
                f"assignments[{i}].assignee_unit_id",
                f"Không có đơn vị {a.assignee_unit_id} trong phạm vi được giao của bạn",
            ))
    for f in sorted(fronts):
        if kinds.get(f) != "front":
            out.append(FieldViolation("front_unit_ids", f"{f} không phải là Ủy ban MTTQ"))
    if out:
        raise InvalidArgument(_bounded(out), "Đơn vị nhận không hợp lệ")


def _request_hash(cmd: CreateDecision) -> str:
    body = asdict(cmd)
    body.pop("idempotency_key")
    return hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()


async def _load(
    uow: AssignmentUnitOfWork, decision_id: str, principal: Principal, *, writing: bool, header_only: bool = False
) -> Decision:
    v = policy.visibility(principal)
    d = (
        await uow.decisions.get(decision_id, v, all_assignments=writing, header_only=header_only)
        if decision_id else None
    )
    if d is None:
        raise NotFound(f"Không tìm thấy quyết định giao {decision_id}")
    if writing:
        scope = policy.write_scope(principal)
        if not await uow.units.in_scope(scope, d.issuer_unit_id):
            raise policy.issuer_outside_scope()
    return d


# ------------------------------------------------------------------------------ decisions


async def create_decision(
    cmd: CreateDecision, uow: AssignmentUnitOfWork, catalog: Catalog, principal: Principal
) -> Decision:
    scope = policy.write_scope(principal)
    now = utcnow()
    d = Decision.create(
        issuer_unit_id=cmd.issuer_unit_id, header=cmd.header, province_code=uow.province_code,
        username=principal.username, now=now,
    )
    items = await _check_catalog(cmd.assignments, cmd.header, catalog, principal) if cmd.assignments else []
    async with uow:
        if cmd.idempotency_key:
            prior = await uow.idempotency.result(cmd.idempotency_key, principal.subject)
            if prior:
                if prior[0] != _request_hash(cmd):
                    raise Conflict(
                        "Idempotency-Key đã được dùng cho một yêu cầu khác",
                        [FieldViolation("idempotency_key", "Khoá đã dùng với nội dung khác")],
                    )
                return await _load(uow, prior[1], principal, writing=True)
        if not await uow.units.in_scope(scope, cmd.issuer_unit_id):
            raise InvalidArgument.single(
                "issuer_unit_id", f"Không có đơn vị {cmd.issuer_unit_id} trong phạm vi của bạn"
            )
        await _check_units(uow, principal, d, items)
        await _check_adjusted(uow, principal, d)
        d.replace_assignments(items, 0, principal.username, now)
        d.version = 1
        await uow.decisions.add(d)
        if cmd.idempotency_key:
            await uow.idempotency.remember(cmd.idempotency_key, principal.subject, _request_hash(cmd), d.id)
        await uow.commit()
    log.info("decision_created", decision_id=d.id, assignments=len(items))
    return d


async def _check_adjusted(uow: AssignmentUnitOfWork, principal: Principal, d: Decision) -> None:
    target = d.header.adjusts_decision_id
    if not target:
        return
    prior = await uow.decisions.get(target, policy.visibility(principal))
    if prior is None or prior.status is not DecisionStatus.ISSUED or prior.id == d.id:
        raise InvalidArgument.single(
            "adjusts_decision_id", f"Không có quyết định đã ban hành {target} để điều chỉnh"
        )


async def get_decision(decision_id: str, uow: AssignmentUnitOfWork, principal: Principal) -> Decision:
    async with uow:
        return await _load(uow, decision_id, principal, writing=False)


async def list_decisions(
    f: DecisionFilter, uow: AssignmentUnitOfWork, principal: Principal
) -> tuple[list[Decision], str, int]:
    v = policy.visibility(principal)
    if not 0 <= f.page_size <= 500:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 500")
    async with uow:
        return await uow.decisions.list(v, replace(f, page_size=f.page_size or 50))


async def update_decision(
    cmd: UpdateDecision, uow: AssignmentUnitOfWork, principal: Principal
) -> Decision:
    async with uow:
        d = await _load(uow, cmd.decision_id, principal, writing=True)
        before = d.version
        d.update_header(cmd.header, cmd.expected_version, principal.username, utcnow())
        await _check_units(uow, principal, d, d.assignments)
        await _check_adjusted(uow, principal, d)
        await uow.decisions.save_header(d, before)
        await uow.commit()
    return d


async def replace_assignments(
    cmd: ReplaceAssignments, uow: AssignmentUnitOfWork, catalog: Catalog, principal: Principal
) -> Decision:
    policy.write_scope(principal)
    async with uow:  # read the header (for the catalog date) before calling the catalog
        header = (await _load(uow, cmd.decision_id, principal, writing=True, header_only=True)).header
    items = await _check_catalog(cmd.assignments, header, catalog, principal)
    async with uow:
        d = await _load(uow, cmd.decision_id, principal, writing=True)
        before = d.version
        await _check_units(uow, principal, d, items)
        d.replace_assignments(items, cmd.expected_version, principal.username, utcnow())
        await uow.decisions.replace_assignments(d, before)
        await uow.commit()
    log.info("decision_assignments_replaced", decision_id=d.id, assignments=len(items))
    return d


async def issue_decision(
    cmd: IssueDecision, uow: AssignmentUnitOfWork, documents: Documents, rules: AssignmentRules,
    principal: Principal,
) -> Decision:
    policy.write_scope(principal)
    async with uow:  # the header, to check its document before the transaction
        d = await _load(uow, cmd.decision_id, principal, writing=True, header_only=True)
    document_id = cmd.document_id or d.header.document_id
    if not document_id:
        raise InvalidArgument.single("document_id", "Cần văn bản quyết định đã ký số (mã văn bản) để ban hành")
    if rules.require_signed_decision:
        await documents.require_valid_signature(document_id, principal)
    now = utcnow()
    async with uow:
        d = await _load(uow, cmd.decision_id, principal, writing=True)
        before = d.version
        on = d.effective_from or now.date()
        in_force = await uow.assignments.in_force(
            d.province_code, [(a.assignee_unit_id, a.subject_key) for a in d.assignments], on, d.id
        )
        befores = {a.id: a.version for a in in_force.values()}
        superseded = d.issue(document_id, cmd.expected_version, principal.username, now, in_force)
        await uow.decisions.save_issued(d, before)
        for old in superseded:
            await uow.assignments.save(old, befores[old.id])
        await uow.commit()
    log.info("decision_issued", decision_id=d.id, assignments=len(d.assignments), superseded=len(superseded))
    return d


async def revoke_decision(cmd: RevokeDecision, uow: AssignmentUnitOfWork, principal: Principal) -> Decision:
    async with uow:
        d = await _load(uow, cmd.decision_id, principal, writing=True)
        before = d.version
        now = utcnow()
        d.revoke(cmd.reason, cmd.expected_version, principal.username, now)
        for a in d.assignments:
            d.cancel(a, principal.username, now)
        await uow.decisions.save_revoked(d, before)
        for old in await uow.assignments.superseded_by(d.id):
            prior_version = old.version
            old.restore(principal.username, now)
            await uow.assignments.save(old, prior_version)
        await uow.commit()
    return d


# ------------------------------------------------------------------------------ assignments


async def get_assignment(assignment_id: str, uow: AssignmentUnitOfWork, principal: Principal) -> Assignment:
    v = policy.visibility(principal)
    async with uow:
        a = await uow.assignments.get(assignment_id, v) if assignment_id else None
    if a is None:
        raise NotFound(f"Không tìm thấy nội dung giao {assignment_id}")
    return a


async def list_assignments(
    f: AssignmentFilter, uow: AssignmentUnitOfWork, principal: Principal
) -> tuple[list[Assignment], str, int]:
    v = policy.visibility(principal)
    if not 0 <= f.page_size <= 1000:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 1000")
    async with uow:
        return await uow.assignments.list(v, replace(f, page_size=f.page_size or 100))


async def acknowledge_assignment(
    cmd: AcknowledgeAssignment, uow: AssignmentUnitOfWork, principal: Principal
) -> Assignment:
    policy.require_acknowledger(principal)
    v = policy.visibility(principal)
    async with uow:
        a = await uow.assignments.get(cmd.assignment_id, v) if cmd.assignment_id else None
        if a is None:
            raise NotFound(f"Không tìm thấy nội dung giao {cmd.assignment_id}")
        own = await uow.units.own_unit_ids(principal.province or "", principal.org_unit or "")
        if a.assignee_unit_id not in own:
            raise policy.not_own_unit()
        before = a.version
        a.acknowledge(principal.username, cmd.note, utcnow(), cmd.expected_version)
        await uow.assignments.save(a, before)
        await uow.commit()
    return a


async def list_assignment_history(
    assignment_id: str, uow: AssignmentUnitOfWork, principal: Principal
) -> list[Assignment]:
    v = policy.visibility(principal)
    async with uow:
        a = await uow.assignments.get(assignment_id, v) if assignment_id else None
        if a is None:
            raise NotFound(f"Không tìm thấy nội dung giao {assignment_id}")
        return await uow.assignments.history(a, v)


async def check_cascade_for(
    decision_id: str, uow: AssignmentUnitOfWork, catalog: Catalog, principal: Principal
) -> list[CascadeRow]:
    async with uow:
        d = await _load(uow, decision_id, principal, writing=False)
        on = d.effective_from or date.today()
        keys = {a.subject_key for a in d.assignments if isinstance(a.subject, Target)}
        own = await uow.assignments.in_force(
            d.province_code, [(d.issuer_unit_id, k) for k in keys], on, d.id
        )
    codes = {a.subject.indicator_code for a in d.assignments if isinstance(a.subject, Target)}
    info = await _indicator_info(codes, d.header, catalog, principal)
    return check_cascade({k: a for (_, k), a in own.items()}, d.assignments, info)


async def remind_unacknowledged(
    now: datetime, uow: AssignmentUnitOfWork, rules: AssignmentRules, *, batch: int = 1000
) -> int:
    """Publish AssignmentAcknowledgementOverdue once for each issued assignment still not
    acknowledged ``rules.ack_reminder_days`` days after its decision was issued. Run
    periodically by the service (system task: no caller)."""
    total = 0
    while True:
        async with uow:
            due = await uow.assignments.unacknowledged(
                uow.province_code, now.date() - timedelta(days=rules.ack_reminder_days), batch
            )
            due = [a for a in due if overdue(a, now, rules.ack_reminder_days)]
            for a in due:
                before = a.version
                a.remind_overdue(now)
                await uow.assignments.save(a, before)
            await uow.commit()
        total += len(due)
        if len(due) < batch:
            return total
