"""Load a province's official units (after the 2025 reform) from PyPI ``vietnam-provinces``,
and the demo province's agencies, offices and Front committees.

Idempotent: units whose code already exists are left as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitKind
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork

REFORM_DATE = date(2025, 7, 1)  # Resolution 202/2025/QH15: the new two-level units take effect


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: OrgUnitKind
    parent_code: str | None
    short_name: str = ""


def official_units(province_code: str) -> list[UnitSpec]:
    """The province and all its communes, wards and special zones, with official codes."""

    import vietnam_provinces as vp

    try:
        province = vp.Province.from_code(vp.ProvinceCode(int(province_code)))
    except ValueError as exc:
        raise ValueError(f"Mã tỉnh không có trong danh mục hành chính: {province_code}") from exc
    specs = [UnitSpec(province_code, province.name, OrgUnitKind.PROVINCE, None)]
    wards = sorted(vp.Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    specs += [
        UnitSpec(str(int(w.code)), w.name, OrgUnitKind.COMMUNE, province_code) for w in wards
    ]
    return specs


def demo_units(province_code: str) -> list[UnitSpec]:
    """Agencies, offices in some communes and Front committees for the demo (Hải Phòng)."""

    p = province_code
    specs = [
        UnitSpec(f"{p}.STC", "Sở Tài chính", OrgUnitKind.AGENCY, p, "STC"),
        UnitSpec(f"{p}.SGDDT", "Sở Giáo dục và Đào tạo", OrgUnitKind.AGENCY, p, "SGDĐT"),
        UnitSpec(f"{p}.SYT", "Sở Y tế", OrgUnitKind.AGENCY, p, "SYT"),
        UnitSpec(f"{p}.SNNMT", "Sở Nông nghiệp và Môi trường", OrgUnitKind.AGENCY, p, "SNN&MT"),
        UnitSpec(f"{p}.SKHCN", "Sở Khoa học và Công nghệ", OrgUnitKind.AGENCY, p, "SKH&CN"),
        UnitSpec(f"{p}.MTTQ", "Ủy ban MTTQ Việt Nam thành phố", OrgUnitKind.FRONT, p, "MTTQ"),
    ]
    offices = [
        ("PKT", "Phòng Kinh tế"),
        ("PVHXH", "Phòng Văn hoá - Xã hội"),
        ("TTHCC", "Trung tâm Phục vụ Hành chính công"),
        ("VP", "Văn phòng HĐND và UBND"),
    ]
    if p == "31":
        for commune in ("10846", "11560"):  # Xã Hà Tây (seed 001), Phường Thuỷ Nguyên
            specs += [
                UnitSpec(f"{commune}.{code}", name, OrgUnitKind.OFFICE, commune, code)
                for code, name in offices
            ]
            specs.append(
                UnitSpec(f"{commune}.MTTQ", "Ủy ban MTTQ Việt Nam xã", OrgUnitKind.FRONT, commune)
            )
    return specs


async def load_units(uow: CatalogUnitOfWork, specs: list[UnitSpec], valid_from: date) -> int:
    """Create every unit in ``specs`` that does not exist yet; parents before children."""

    created = 0
    async with uow:
        by_code = {u.code: u for u in await uow.org_units.all(uow.province_code, None)}
        for spec in specs:
            if spec.code in by_code:
                continue
            parent = by_code.get(spec.parent_code) if spec.parent_code else None
            unit = OrgUnit.create(
                code=spec.code, name=spec.name, kind=spec.kind.value, parent=parent,
                province_code=uow.province_code, valid_from=valid_from,
                short_name=spec.short_name,
            )
            await uow.org_units.add(unit)
            by_code[unit.code] = unit
            created += 1
        await uow.commit()
    return created


async def load_demo_province(uow_factory, province_code: str) -> int:  # noqa: ANN001
    specs = official_units(province_code) + demo_units(province_code)
    return await load_units(uow_factory(), specs, REFORM_DATE)
