"""Org-unit use cases against the real migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from ktxh_catalog.adapters.tables import org_unit_history, org_units, outbox
from ktxh_catalog.service_layer import org_units as svc
from ktxh_catalog.service_layer.official_units import load_demo_province
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed

ADMIN = Principal("sub-admin", "admin", "Quản trị", frozenset({"province_admin"}), "31", "31")
CLERK = Principal("sub-clerk", "nhap_lieu", "Nhập liệu", frozenset({"data_entry"}), "10846.PKT", "31")


async def _count(db, table) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(sa.select(sa.func.count()).select_from(table)))


async def _province(uow_factory):
    return await svc.create_org_unit(
        svc.CreateOrgUnit(code="31", name="Thành phố Hải Phòng", kind="province", parent_id=None,
                          valid_from=date(2010, 1, 1)),
        uow_factory(), ADMIN,
    )


async def test_create_writes_unit_history_and_event_in_one_transaction(catalog_db, uow_factory):
    p = await _province(uow_factory)
    c = await svc.create_org_unit(
        svc.CreateOrgUnit(code="10846", name="Xã Hà Tây", kind="commune", parent_id=p.id), uow_factory(), ADMIN
    )
    assert c.parent_id == p.id and c.version == 1
    assert await _count(catalog_db, org_units) == 2
    assert await _count(catalog_db, org_unit_history) == 2
    assert await _count(catalog_db, outbox) == 2


async def test_invalid_input_stores_nothing(catalog_db, uow_factory):
    p = await _province(uow_factory)
    with pytest.raises(InvalidArgument) as err:
        await svc.create_org_unit(
            svc.CreateOrgUnit(code="10846", name="", kind="agency", parent_id="khong-ton-tai"),
            uow_factory(), ADMIN,
        )
    assert {v.field for v in err.value.violations} == {"parent_id"}
    with pytest.raises(InvalidArgument) as err:
        await svc.create_org_unit(
            svc.CreateOrgUnit(code="10846", name="", kind="commune", parent_id=p.id), uow_factory(), ADMIN
        )
    assert [v.field for v in err.value.violations] == ["name"]
    assert await _count(catalog_db, org_units) == 1
    assert await _count(catalog_db, outbox) == 1


async def test_duplicate_code_is_a_conflict_naming_the_field(catalog_db, uow_factory):
    p = await _province(uow_factory)
    cmd = svc.CreateOrgUnit(code="31.STC", name="Sở Tài chính", kind="agency", parent_id=p.id)
    await svc.create_org_unit(cmd, uow_factory(), ADMIN)
    with pytest.raises(Conflict) as err:
        await svc.create_org_unit(cmd, uow_factory(), ADMIN)
    assert err.value.violations[0].field == "code"


async def test_only_admins_change_units(uow_factory):
    with pytest.raises(PermissionDenied):
        await svc.create_org_unit(
            svc.CreateOrgUnit(code="31", name="HP", kind="province", parent_id=None), uow_factory(), CLERK
        )


async def test_idempotency_key_returns_the_first_result(catalog_db, uow_factory):
    p = await _province(uow_factory)
    cmd = svc.CreateOrgUnit(code="31.SYT", name="Sở Y tế", kind="agency", parent_id=p.id, idempotency_key="k-1")
    first = await svc.create_org_unit(cmd, uow_factory(), ADMIN)
    again = await svc.create_org_unit(cmd, uow_factory(), ADMIN)
    assert again.id == first.id
    assert await _count(catalog_db, org_units) == 2
    other = svc.CreateOrgUnit(code="31.SXD", name="Sở Xây dựng", kind="agency", parent_id=p.id, idempotency_key="k-1")
    with pytest.raises(Conflict):
        await svc.create_org_unit(other, uow_factory(), ADMIN)


async def test_rename_with_stale_version_fails_and_keeps_history(catalog_db, uow_factory):
    p = await _province(uow_factory)
    renamed = await svc.rename_org_unit(svc.RenameOrgUnit(p.id, 1, name="TP Hải Phòng"), uow_factory(), ADMIN)
    assert renamed.version == 2
    with pytest.raises(PreconditionFailed):
        await svc.rename_org_unit(svc.RenameOrgUnit(p.id, 1, name="Tên cũ"), uow_factory(), ADMIN)
    async with uow_factory() as uow:
        history = await uow.org_units.history(p.id)
    assert [h["action"] for h in history] == ["create", "update"]
    assert history[1]["before"]["name"] == "Thành phố Hải Phòng"
    assert history[1]["after"]["name"] == "TP Hải Phòng"
    assert history[1]["actor"] == "tester"


async def test_move_refuses_a_cycle_and_moves_otherwise(uow_factory):
    p = await _province(uow_factory)
    a = await svc.create_org_unit(svc.CreateOrgUnit("10846", "Xã Hà Tây", "commune", p.id), uow_factory(), ADMIN)
    b = await svc.create_org_unit(svc.CreateOrgUnit("11560", "Phường Thuỷ Nguyên", "commune", p.id), uow_factory(), ADMIN)
    office = await svc.create_org_unit(svc.CreateOrgUnit("10846.PKT", "Phòng Kinh tế", "office", a.id), uow_factory(), ADMIN)
    with pytest.raises(Conflict):
        await svc.move_org_unit(svc.MoveOrgUnit(a.id, 1, office.id), uow_factory(), ADMIN)
    moved = await svc.move_org_unit(svc.MoveOrgUnit(office.id, 1, b.id), uow_factory(), ADMIN)
    assert moved.parent_id == b.id and moved.version == 2


async def test_search_ignores_diacritics_and_as_of_filters(uow_factory):
    p = await _province(uow_factory)
    await svc.create_org_unit(
        svc.CreateOrgUnit("10846", "Xã Hà Tây", "commune", p.id, valid_from=date(2025, 7, 1)), uow_factory(), ADMIN
    )
    await svc.create_org_unit(
        svc.CreateOrgUnit("99999", "Xã Đồng Hòa", "commune", p.id, valid_from=date(2027, 1, 1)), uow_factory(), ADMIN
    )
    units, _, total = await svc.list_org_units(uow_factory(), principal=ADMIN, query="HA TAY")
    assert total == 1 and units[0].code == "10846"
    units, _, _ = await svc.list_org_units(uow_factory(), principal=ADMIN, query="dong hoa")
    assert [u.code for u in units] == ["99999"]
    units, _, total = await svc.list_org_units(uow_factory(), principal=ADMIN, kind="commune", as_of=date(2026, 1, 1))
    assert [u.code for u in units] == ["10846"]


async def test_paging_walks_every_unit_once(uow_factory):
    await load_demo_province(uow_factory, "31")
    seen: list[str] = []
    token = ""
    while True:
        units, token, total = await svc.list_org_units(uow_factory(), principal=ADMIN, page_size=50, page_token=token)
        seen += [u.code for u in units]
        if not token:
            break
    assert len(seen) == total == len(set(seen))
    with pytest.raises(InvalidArgument):
        await svc.list_org_units(uow_factory(), principal=ADMIN, page_token="rác")


async def test_demo_province_loads_official_units_once(catalog_db, uow_factory):
    created = await load_demo_province(uow_factory, "31")
    assert await load_demo_province(uow_factory, "31") == 0
    roots = await svc.org_unit_tree(uow_factory(), principal=ADMIN)
    assert len(roots) == 1 and roots[0].unit.name == "Thành phố Hải Phòng"
    communes = [n for n in roots[0].children if n.unit.kind == "commune"]
    assert len(communes) == 114  # Hải Phòng after the 2025 reform: 67 xã, 45 phường, 2 đặc khu
    ha_tay = next(n for n in communes if n.unit.code == "10846")
    assert {c.unit.name for c in ha_tay.children} >= {
        "Phòng Kinh tế", "Phòng Văn hoá - Xã hội", "Trung tâm Phục vụ Hành chính công", "Văn phòng HĐND và UBND",
    }
    assert created == await _count(catalog_db, org_units)


async def test_merge_ends_sources_and_their_offices_and_links_the_successor(catalog_db, uow_factory):
    p = await _province(uow_factory)
    legacy = await svc.create_org_unit(
        svc.CreateOrgUnit("D01", "Huyện Thủy Nguyên (cũ)", "district", p.id, valid_from=date(2010, 1, 1)),
        uow_factory(), ADMIN,
    )
    old_a = await svc.create_org_unit(
        svc.CreateOrgUnit("OLD1", "Xã Cũ A", "commune", legacy.id, valid_from=date(2010, 1, 1)), uow_factory(), ADMIN
    )
    old_b = await svc.create_org_unit(
        svc.CreateOrgUnit("OLD2", "Xã Cũ B", "commune", legacy.id, valid_from=date(2010, 1, 1)), uow_factory(), ADMIN
    )
    office = await svc.create_org_unit(
        svc.CreateOrgUnit("OLD1.PKT", "Ban Kinh tế xã Cũ A", "office", old_a.id, valid_from=date(2010, 1, 1)),
        uow_factory(), ADMIN,
    )
    new = await svc.create_org_unit(
        svc.CreateOrgUnit("10846", "Xã Hà Tây", "commune", p.id, valid_from=date(2025, 7, 1)), uow_factory(), ADMIN
    )
    with pytest.raises(InvalidArgument) as err:  # a commune cannot merge into a province
        await svc.merge_org_units(svc.MergeOrgUnits([old_a.id], p.id, date(2025, 7, 1)), uow_factory(), ADMIN)
    assert err.value.violations[0].field == "source_ids[0]"

    sources, successor = await svc.merge_org_units(
        svc.MergeOrgUnits([old_a.id, old_b.id], new.id, date(2025, 7, 1), "Nghị quyết 1669/NQ-UBTVQH15"),
        uow_factory(), ADMIN,
    )
    assert successor.id == new.id
    assert all(s.valid_to == date(2025, 6, 30) and s.successor_ids == [new.id] for s in sources)
    after = {u.code for u in (await svc.list_org_units(uow_factory(), principal=ADMIN, as_of=date(2025, 7, 1)))[0]}
    before = {u.code for u in (await svc.list_org_units(uow_factory(), principal=ADMIN, as_of=date(2024, 12, 31)))[0]}
    assert {"OLD1", "OLD2", "OLD1.PKT", "D01"} <= before and "10846" not in before
    assert not ({"OLD1", "OLD2", "OLD1.PKT"} & after) and "10846" in after
    tree_2024 = await svc.org_unit_tree(uow_factory(), principal=ADMIN, as_of=date(2024, 12, 31))
    district = next(n for n in tree_2024[0].children if n.unit.code == "D01")
    assert {c.unit.code for c in district.children} == {"OLD1", "OLD2"}
    async with uow_factory() as uow:
        history = await uow.org_units.history(office.id)
    assert history[-1]["action"] == "end" and history[-1]["reason"] == "Nghị quyết 1669/NQ-UBTVQH15"
    # the merged communes' history belongs to the successor's users (scope in SQL)
    leader = Principal("sub-ct", "chu_tich", "Chủ tịch", frozenset({"unit_leader"}), "10846", "31")
    seen = {u.code for u in (await svc.list_org_units(uow_factory(), principal=leader))[0]}
    assert seen == {"31", "10846", "OLD1", "OLD2", "OLD1.PKT"}, seen  # not the old district D01
    with pytest.raises(NotFound):
        await svc.get_org_unit(district.unit.id, None, uow_factory(), leader)
    assert (await svc.get_org_unit(office.id, None, uow_factory(), leader)).code == "OLD1.PKT"


async def test_any_province_imports_from_the_official_list(uow_factory):
    from ktxh_catalog.service_layer.official_units import REFORM_DATE, load_units, official_units

    specs = official_units("15")  # Lào Cai
    assert specs[0].kind == "province" and len(specs) > 50
    assert await load_units(uow_factory(), specs, REFORM_DATE) == len(specs)
    assert await load_units(uow_factory(), specs, REFORM_DATE) == 0
    communes, _, total = await svc.list_org_units(uow_factory(), principal=ADMIN, kind="commune", page_size=500)
    assert total == len(specs) - 1 and all(u.valid_from == REFORM_DATE for u in communes)
    with pytest.raises(ValueError):
        official_units("99")
