"""The one access policy of KTXH: which role may do what to which resource, and over which
units (the scope). Pure: standard library and `ktxh_platform.auth.principal` only, so domain
and service-layer code of every service may call it. `docs/security.md` renders the same
matrix for people; a test keeps the two in step.

Two questions, two answers:

- *May this role do this action on this kind of resource?* No → `AuthorizationError`
  (HTTP 403, gRPC PERMISSION_DENIED).
- *Over which records?* The returned `Scope`; repositories turn it into a SQL predicate
  (`ktxh_platform.access.sql`), so listings never load what the caller may not see, and a
  single record outside the scope reads as absent (HTTP 404, gRPC NOT_FOUND): existence is not
  leaked.

Scopes:

- province roles (`province_admin`, `system_admin`, `planning_officer`, `leadership`,
  `integration`) act across their province (the token's `province` claim);
- unit roles (`data_entry`, `consolidator`, `unit_leader`) act within their *home unit* and its
  descendants: an office's or a Front committee's home is the unit it belongs to (Phòng Kinh tế
  xã Hà Tây → Xã Hà Tây); the units a merged unit was merged from are descendants of its
  successor (a merged commune's history belongs to its successor's users);
- the Front (`front_member`) reads at its own level what was opened to it (`opened_only`),
  comments and files oversight reports (with their documents), and never changes figures;
- notifications: every role reads and marks read its own inbox, which holds only the notices
  addressed to the user's own (home) unit, whatever the role;
- org units are structure: the chain above one's home unit is readable too (`ancestors`),
  siblings are not.

A token of one province never reaches another's records: every scope carries the province.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    FRONT_MEMBER,
    INTEGRATION,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    UNIT_LEADER,
    AuthenticationError,
    AuthorizationError,
    Principal,
)

__all__ = [
    "GRANTS",
    "HOME_UNIT_KINDS",
    "PROVINCE_ROLES",
    "UNIT_ROLES",
    "Action",
    "Resource",
    "Scope",
    "authorize",
    "may",
]


class Resource(StrEnum):
    ORG_UNIT = "org_unit"  # đơn vị
    CATALOG = "catalog"  # chỉ số, bộ chỉ số, nhiệm vụ, kế hoạch, bộ tiêu chí, lịch...
    ASSIGNMENT = "assignment"  # giao chỉ tiêu, nhiệm vụ
    FIGURES = "figures"  # số liệu báo cáo kỳ
    EVALUATION = "evaluation"  # đánh giá, xếp loại
    COMMENT = "comment"  # ý kiến của MTTQ
    OVERSIGHT_REPORT = "oversight_report"  # báo cáo giám sát
    DOCUMENT = "document"  # tệp, văn bản
    REPORT = "report"  # báo cáo tổng hợp
    NOTIFICATION = "notification"  # thông báo (hộp thư của người dùng)
    SUBMISSION = "submission"  # báo cáo kỳ của đơn vị và quy trình gửi, duyệt, tiếp nhận


class Action(StrEnum):
    READ = "read"
    WRITE = "write"  # create, change, retire, import
    APPROVE = "approve"  # consolidate, approve, return a submission; finalize an evaluation;
    # for a province role on submissions: accept, return or reopen a unit's report (upper level)


R, W, A = Action.READ, Action.WRITE, Action.APPROVE

PROVINCE_ROLES = frozenset({PROVINCE_ADMIN, SYSTEM_ADMIN, PLANNING_OFFICER, LEADERSHIP, INTEGRATION})
UNIT_ROLES = frozenset({DATA_ENTRY, CONSOLIDATOR, UNIT_LEADER, FRONT_MEMBER})

# Kinds of unit that belong to another unit: their users' home unit is the parent.
HOME_UNIT_KINDS = ("office", "front")

_ALL = {r: frozenset({R}) for r in Resource}
# Every user reads their own inbox and marks it read; the notification service keeps each
# inbox to the user's own unit whatever the role (docs/notifications.md).
_OWN_INBOX = {Resource.NOTIFICATION: frozenset({R, W})}

GRANTS: MappingProxyType[str, MappingProxyType[Resource, frozenset[Action]]] = MappingProxyType(
    {
        role: MappingProxyType(
            {r: frozenset(a) for r, a in {**grants, **_OWN_INBOX}.items()}
        )
        for role, grants in {
            PROVINCE_ADMIN: {
                **_ALL,
                Resource.ORG_UNIT: {R, W},
                Resource.CATALOG: {R, W},
                Resource.ASSIGNMENT: {R, W},
                Resource.EVALUATION: {R, W, A},
                Resource.DOCUMENT: {R, W},
                Resource.SUBMISSION: {R, A},
                # publish editions, configure upward connectors, import historical figures
                Resource.REPORT: {R, W},
            },
            SYSTEM_ADMIN: {Resource.ORG_UNIT: {R, W}, Resource.CATALOG: {R, W}},
            PLANNING_OFFICER: {
                **_ALL,
                Resource.CATALOG: {R, W},
                Resource.ASSIGNMENT: {R, W},
                Resource.EVALUATION: {R, W},  # opens rounds, adjusts scores (managing unit)
                Resource.DOCUMENT: {R, W},
                Resource.SUBMISSION: {R, A},
                Resource.REPORT: {R, W},
            },
            LEADERSHIP: {**_ALL, Resource.ASSIGNMENT: {R, A}, Resource.EVALUATION: {R, A}},
            INTEGRATION: {
                Resource.ORG_UNIT: {R},
                Resource.CATALOG: {R},
                Resource.ASSIGNMENT: {R},
                Resource.FIGURES: {R},
                Resource.REPORT: {R},
                Resource.SUBMISSION: {R},
            },
            DATA_ENTRY: {
                Resource.ORG_UNIT: {R},
                Resource.CATALOG: {R},
                Resource.ASSIGNMENT: {R},
                Resource.FIGURES: {R, W},
                Resource.DOCUMENT: {R, W},
                Resource.REPORT: {R},
                Resource.SUBMISSION: {R, W},
            },
            CONSOLIDATOR: {
                Resource.ORG_UNIT: {R},
                Resource.CATALOG: {R},
                Resource.ASSIGNMENT: {R},
                Resource.FIGURES: {R, W, A},
                Resource.EVALUATION: {R, W},
                Resource.DOCUMENT: {R, W},
                Resource.REPORT: {R},
                Resource.COMMENT: {R},
                Resource.OVERSIGHT_REPORT: {R},
                Resource.SUBMISSION: {R, W, A},
            },
            UNIT_LEADER: {
                **_ALL,
                # a commune's leader issues the commune's own decisions to its offices (cascade)
                Resource.ASSIGNMENT: {R, W, A},
                Resource.FIGURES: {R, A},
                Resource.EVALUATION: {R, W, A},
                Resource.DOCUMENT: {R, W},
                Resource.SUBMISSION: {R, A},
            },
            FRONT_MEMBER: {
                Resource.ORG_UNIT: {R},
                Resource.CATALOG: {R},
                Resource.ASSIGNMENT: {R},
                Resource.FIGURES: {R},
                Resource.REPORT: {R},
                Resource.COMMENT: {R, W},
                Resource.OVERSIGHT_REPORT: {R, W},
                Resource.DOCUMENT: {R, W},
                Resource.SUBMISSION: {R},
            },
        }.items()
    }
)

# What the Front reaches only once a unit has opened it (assignments, figures, reports,
# documents); its own committee's documents (oversight files) are always its own.
_OPENED_TO_FRONT = frozenset(
    {Resource.ASSIGNMENT, Resource.FIGURES, Resource.REPORT, Resource.DOCUMENT,
     Resource.SUBMISSION}
)

_DENIED = MappingProxyType(
    {
        Action.READ: "Bạn không có quyền xem mục này.",
        Action.WRITE: "Vai trò của bạn không được thay đổi mục này.",
        Action.APPROVE: "Vai trò của bạn không được duyệt mục này.",
    }
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The records an authorized action reaches.

    `unit_code` None: the whole `province`. Otherwise the home unit (`unit_code`, or its parent
    when `home` and the unit is an office or a Front committee) with its descendants and its
    predecessors (merged units); `ancestors` adds the chain above it (structure reads);
    `opened_only` keeps only records opened to the Front.
    """

    province: str
    unit_code: str | None = None
    home: bool = True
    ancestors: bool = False
    opened_only: bool = False

    @property
    def province_wide(self) -> bool:
        return self.unit_code is None


def may(principal: Principal, resource: Resource, action: Action) -> bool:
    """Whether any of the principal's roles grants `action` on `resource` (no scope)."""
    return any(action in GRANTS.get(role, {}).get(resource, ()) for role in principal.roles)


def authorize(principal: Principal | None, resource: Resource, action: Action) -> Scope:
    """The scope of `action` on `resource` for `principal`, or raise (401/403).

    A province role's grant is used before a unit role's, so a user holding both acts across
    the province.
    """
    if principal is None or not principal.authenticated:
        raise AuthenticationError("missing")
    if not principal.province:
        raise AuthorizationError((), "Tài khoản chưa được gắn với tỉnh/thành phố.")
    granted = [
        role for role in principal.roles if action in GRANTS.get(role, {}).get(resource, ())
    ]
    if not granted:
        raise AuthorizationError(
            sorted(r for r, g in GRANTS.items() if action in g.get(resource, ())),
            _DENIED[action],
        )
    if any(role in PROVINCE_ROLES for role in granted):
        return Scope(province=principal.province)
    if not principal.org_unit:
        raise AuthorizationError(granted, "Tài khoản chưa được gắn với đơn vị.")
    front_only = all(role == FRONT_MEMBER for role in granted)
    own_office_only = (
        resource in (Resource.FIGURES, Resource.SUBMISSION)
        and action is Action.WRITE
        and granted == [DATA_ENTRY]
    )  # an office enters its own figures; the consolidating office acts for the whole unit
    return Scope(
        province=principal.province,
        unit_code=principal.org_unit,
        home=not own_office_only,
        ancestors=resource is Resource.ORG_UNIT and action is Action.READ,
        opened_only=front_only and resource in _OPENED_TO_FRONT,
    )
