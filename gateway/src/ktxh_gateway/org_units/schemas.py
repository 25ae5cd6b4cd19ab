from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ktxh_gateway.limits import Day, text


class OrgUnitKind(StrEnum):
    province = "province"
    district = "district"
    commune = "commune"
    agency = "agency"
    office = "office"
    front = "front"


class OrgUnit(BaseModel):
    """A unit of the hierarchy (Đơn vị)."""

    id: str
    code: str = Field(description="Mã đơn vị (mã chính thức với tỉnh và xã)")
    name: str
    short_name: str = ""
    kind: OrgUnitKind
    parent_id: str | None
    province_code: str
    valid_from: date | None
    valid_to: date | None
    version: int
    successor_ids: list[str]
    updated_at: datetime | None


class OrgUnitNode(BaseModel):
    unit: OrgUnit
    children: list["OrgUnitNode"]


class OrgUnitTree(BaseModel):
    roots: list[OrgUnitNode]


class OrgUnitPage(BaseModel):
    items: list[OrgUnit]
    next_page_token: str
    total: int


class OrgUnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: text(40, min_length=1) = Field(examples=["10846.PKT"])
    name: text(255, min_length=1) = Field(examples=["Phòng Kinh tế"])
    kind: OrgUnitKind
    parent_id: text(36) | None = None
    valid_from: Day | None = None
    short_name: text(120) = ""


class OrgUnitPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: text(255, min_length=1) | None = None
    short_name: text(120) | None = None


class OrgUnitMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_parent_id: text(36, min_length=1)


class OrgUnitMerge(BaseModel):
    """Sáp nhập đơn vị: the sources end the day before ``effective_from``."""

    model_config = ConfigDict(extra="forbid")

    source_ids: list[text(36, min_length=1)] = Field(min_length=1, max_length=100)
    successor_id: text(36, min_length=1)
    effective_from: Day
    legal_basis: text(255) = Field(default="", examples=["Nghị quyết 1669/NQ-UBTVQH15"])


class OrgUnitMergeResult(BaseModel):
    sources: list[OrgUnit]
    successor: OrgUnit
