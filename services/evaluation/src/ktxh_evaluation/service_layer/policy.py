"""Who may do what with evaluations: the platform access policy (resource `EVALUATION`),
applied in every use case (docs/evaluation.md, docs/security.md).

- reading: the scope of `evaluation:read` (a unit sees its own evaluations, the province all);
- the unit's side (self-evaluation): `evaluation:write` (consolidating office: score, send to
  the leader) and `evaluation:approve` (unit leader: send to the managing unit, return) over
  the evaluated unit, from a unit account (not a province-wide one);
- the managing side: a province-wide `evaluation:write` (open and close rounds, adjust scores)
  and `evaluation:approve` (finalize, answer a review request).
"""

from __future__ import annotations

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import AuthorizationError, Principal


def read_scope(principal: Principal) -> Scope:
    return authorize(principal, Resource.EVALUATION, Action.READ)


def unit_scope(principal: Principal, action: Action) -> Scope:
    scope = authorize(principal, Resource.EVALUATION, action)
    if scope.province_wide:
        raise AuthorizationError(
            (), "Chỉ cán bộ của đơn vị được đánh giá mới tự đánh giá và gửi tự đánh giá.")
    return scope


def managing_scope(principal: Principal, action: Action) -> Scope:
    scope = authorize(principal, Resource.EVALUATION, action)
    if not scope.province_wide:
        raise AuthorizationError(
            (), "Chỉ đơn vị quản lý (cấp tỉnh) mới mở đợt, chấm điểm đánh giá và chốt kết quả.")
    return scope
