from datetime import date

import pytest

from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitCreated, OrgUnitMoved, OrgUnitUpdated, build_tree
from ktxh_platform.domain import Conflict, InvalidArgument, PreconditionFailed


def unit(code: str, kind: str, parent: OrgUnit | None = None, **kw) -> OrgUnit:
    return OrgUnit.create(code=code, name=f"Đơn vị {code}", kind=kind, parent=parent, province_code="31", **kw)


def test_create_records_event_and_starts_at_version_1():
    p = unit("31", "province")
    assert p.version == 1
    assert isinstance(p.events[0], OrgUnitCreated)


def test_every_invalid_field_is_reported():
    with pytest.raises(InvalidArgument) as err:
        OrgUnit.create(code="mã sai!", name=" ", kind="planet", parent=None, province_code="31")
    fields = {v.field for v in err.value.violations}
    assert fields == {"code", "name", "kind"}


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [("commune", None), ("agency", "commune"), ("province", "province"), ("district", "commune")],
)
def test_kind_must_fit_its_parent(kind, parent_kind):
    parent = None
    if parent_kind:
        root = unit("31", "province")
        parent = root if parent_kind == "province" else unit("10846", parent_kind, root)
    with pytest.raises(InvalidArgument) as err:
        unit("X1", kind, parent)
    assert err.value.violations[0].field == "parent_id"


def test_rename_checks_version_and_records_before_after():
    p = unit("31", "province")
    p.events.clear()
    with pytest.raises(PreconditionFailed):
        p.rename(expected_version=7, name="Hải Phòng", short_name=None)
    p.rename(expected_version=1, name="Thành phố Hải Phòng mới", short_name=None)
    assert p.version == 2
    event = p.events[-1]
    assert isinstance(event, OrgUnitUpdated)
    assert event.before.name == "Đơn vị 31" and event.unit.name == "Thành phố Hải Phòng mới"


def test_rename_to_same_name_changes_nothing():
    p = unit("31", "province")
    p.events.clear()
    p.rename(expected_version=1, name="Đơn vị 31", short_name=None)
    assert p.version == 1 and p.events == []


def test_move_into_own_subtree_is_refused():
    root = unit("31", "province")
    commune = unit("10846", "commune", root)
    office = unit("10846.PKT", "office", commune)
    with pytest.raises(Conflict) as err:
        commune.move(expected_version=1, new_parent=office, new_parent_ancestors=[commune.id, root.id])
    assert err.value.violations[0].field == "new_parent_id"


def test_move_records_old_parent():
    root = unit("31", "province")
    a = unit("10846", "commune", root)
    b = unit("11560", "commune", root)
    office = unit("10846.PKT", "office", a)
    office.move(expected_version=1, new_parent=b, new_parent_ancestors=[root.id])
    assert office.parent_id == b.id
    assert isinstance(office.events[-1], OrgUnitMoved) and office.events[-1].old_parent_id == a.id


def test_validity_interval():
    root = unit("31", "province", valid_from=date(2025, 7, 1))
    assert root.valid_on(date(2025, 7, 1)) and not root.valid_on(date(2025, 6, 30))


def test_tree_orders_children_and_prunes_depth():
    root = unit("31", "province")
    c2 = unit("11560", "commune", root)
    c1 = unit("10846", "commune", root)
    agency = unit("31.STC", "agency", root)
    office = unit("10846.PKT", "office", c1)
    roots = build_tree([office, c2, agency, c1, root])
    assert [n.unit.code for n in roots] == ["31"]
    assert [n.unit.code for n in roots[0].children] == ["10846", "11560", "31.STC"]
    assert roots[0].children[0].children[0].unit.code == "10846.PKT"
    pruned = build_tree([office, c2, agency, c1, root], max_depth=2)
    assert all(n.children == [] for n in pruned[0].children)
