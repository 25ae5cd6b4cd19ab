"""The access matrix, tried through the gateway on real PostgreSQL (the distributed stack):
every demo user × every operation of the OpenAPI document × own unit / sibling commune /
parent / another province.

The operations come from `/api/v1/openapi.json`, so a new endpoint fails
`test_every_operation_is_in_the_matrix` until it is classified here (resource, action, what
it targets). Another province's org unit and catalog items are written straight into the
database (a shared multi-province database): no token of this province may see them.

Expected answers come from docs/security.md, computed here independently of the code:
no grant → 403; target outside the scope → 404; otherwise the request reaches the record
(reads 200; writes are sent stale or invalid, so they answer 409/412/422 and change nothing).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from ktxh_platform.access import Action, Resource, may
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.principal import Principal
from ktxh_testing.submission_form import seed_001_lines
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

API = "/api/v1"
CATALOGS = ["indicators", "indicator-sets", "key-tasks", "thematic-plans", "criteria-sets",
            "period-targets", "report-templates", "calendars"]
OTHER_CODE = "KHAC01"  # a catalog item code that exists only in another province
STALE = '"999999"'
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
USERS = {u.username: u for u in DEMO_USERS}
PRINCIPALS = {u.username: Principal(u.subject, u.username, u.display_name, u.roles, u.org_unit,
                                    u.province) for u in DEMO_USERS}


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # OpenAPI template
    resource: Resource
    action: Action
    target: str  # "unit", "item" (path code), "document", "notice", "submission", "decision", "assignment", "acknowledge", "unknown", "none"
    # roles that may take this step of the report chain (docs/security.md, submissions);
    # empty = every role granted the action
    roles: frozenset[str] = frozenset()


# The report chain: which roles take which step (`services/submission/.../policy.py`,
# computed here from docs/submission.md independently of the code).
UPPER_LEVEL = frozenset({"province_admin", "planning_officer"})
STEP_ROLES = {
    "return-figure": frozenset({"consolidator"}),
    "consolidate": frozenset({"consolidator"}),
    "approve": frozenset({"unit_leader"}),
    "send": frozenset({"unit_leader", "consolidator"}),
    "note": frozenset({"unit_leader", "consolidator"}),  # the whole report's explanatory note
    "accept": UPPER_LEVEL,
    "return": UPPER_LEVEL,
    "reopen": UPPER_LEVEL,
}
FRONT_NEVER_CHANGES = frozenset({Resource.FIGURES, Resource.SUBMISSION, Resource.ASSIGNMENT, Resource.CATALOG,
                                 Resource.ORG_UNIT, Resource.EVALUATION})
# Evaluation (docs/evaluation.md): the unit's own chain self-evaluates, the province manages.
EVAL_UNIT = frozenset({"consolidator", "unit_leader"})
EVAL_MANAGING = frozenset({"province_admin", "planning_officer", "leadership"})
EVAL_STEPS = {  # (method, last path segment) -> action, roles
    ("POST", "evaluation-rounds"): (Action.WRITE, EVAL_MANAGING),
    ("POST", "close"): (Action.APPROVE, EVAL_MANAGING),
    ("PUT", "self-scores"): (Action.WRITE, EVAL_UNIT),
    ("PUT", "scores"): (Action.WRITE, EVAL_MANAGING),
    ("POST", "check"): (Action.WRITE, EVAL_UNIT),
    ("POST", "return"): (Action.APPROVE, EVAL_UNIT),
    ("POST", "submit"): (Action.APPROVE, EVAL_UNIT),
    ("POST", "review-request"): (Action.APPROVE, EVAL_UNIT),
    ("POST", "finalize"): (Action.APPROVE, EVAL_MANAGING),
    ("POST", "review-answer"): (Action.APPROVE, EVAL_MANAGING),
    ("POST", "reopen"): (Action.APPROVE, EVAL_MANAGING),
    ("POST", "editions"): (Action.APPROVE, EVAL_MANAGING),  # publish the round's results
}
MATRIX_CONCURRENCY = 8  # requests in flight while the matrix runs
MATRIX_PERIOD = "2026-M12"  # the matrix's reports (the workflow e2e test uses 2026-M10)


def classify(method: str, path: str) -> Op | None:
    """Resource, action and target of an operation; None = not classified (a new endpoint)."""
    rel = path.removeprefix(API)
    write = method != "GET"
    if rel.startswith("/documents"):  # re-verifying a signature records it: a write
        target = "document" if "{document_id}" in rel else "none"
        return Op(method, path, Resource.DOCUMENT, Action.WRITE if write else Action.READ, target)
    if rel.startswith("/notifications"):  # the caller's own inbox; marking read is a write
        target = "notice" if "{notification_id}" in rel else "none"
        return Op(method, path, Resource.NOTIFICATION, Action.WRITE if write else Action.READ, target)
    if rel.startswith("/periods"):
        return Op(method, path, Resource.SUBMISSION, Action.READ, "none")
    if rel.startswith("/submission-board"):  # the upper level's board: a read
        return Op(method, path, Resource.SUBMISSION, Action.READ, "none")
    if rel == "/data-values":  # bulk figures: every row is checked against the caller's scope
        return Op(method, path, Resource.SUBMISSION, Action.WRITE, "none")
    if rel.startswith("/submissions"):
        target = "submission" if "{submission_id}" in rel else "none"
        step = rel.rsplit("/", 1)[1]
        if not write:
            action = Action.READ
        elif step in ("figures", "deliver", "xlsx", "task-progress", "attachments", "{document_id}"):
            action = Action.WRITE
        else:  # open a report, and every step of the chain
            action = Action.APPROVE
        return Op(method, path, Resource.SUBMISSION, action, target,
                  STEP_ROLES.get(step, frozenset()))
    if rel.startswith(("/evaluation-rounds", "/evaluations")):
        target = "evaluation" if "{" in rel else "none"
        action, roles = EVAL_STEPS.get((method, rel.rsplit("/", 1)[1]), (Action.READ, frozenset()))
        return Op(method, path, Resource.EVALUATION, action, target, roles)
    if rel in ("/rollups", "/indicator-series", "/submission-progress", "/key-task-summary",
               "/target-fulfilment"):
        return Op(method, path, Resource.REPORT, Action.READ, "none")  # reporting reads
    if rel == "/report-exports":  # a report file rendered from the roll-ups
        return Op(method, path, Resource.REPORT, Action.READ, "none")
    if rel == "/historical-figures":  # loads figures into the read model
        return Op(method, path, Resource.REPORT, Action.WRITE, "none")
    if rel.startswith(("/published-reports", "/connectors", "/transmissions")):
        # editions, upward connectors and their log: an id no one has (404 once granted)
        target = "unknown" if "_id}" in rel else "none"
        return Op(method, path, Resource.REPORT, Action.WRITE if write else Action.READ, target)
    if rel == "/figures":  # accepted figures, read incrementally by other systems
        return Op(method, path, Resource.FIGURES, Action.READ, "none")
    if rel.startswith("/org-units"):
        target = "unit" if "{unit_id}" in rel or rel == "/org-units/tree" else "none"
        return Op(method, path, Resource.ORG_UNIT, Action.WRITE if write else Action.READ, target)
    if rel in ("/catalog/import", "/indicator-sets/import"):
        return Op(method, path, Resource.CATALOG, Action.WRITE, "none")
    if rel == "/catalog/export":
        return Op(method, path, Resource.CATALOG, Action.READ, "none")
    if rel.startswith("/assignment-decisions"):
        target = "decision" if "{decision_id}" in rel else "none"
        return Op(method, path, Resource.ASSIGNMENT, Action.WRITE if write else Action.READ, target)
    if rel.startswith("/assignments"):
        if rel.endswith("/acknowledge"):  # read grant + the assignee's own users (docs/security.md)
            return Op(method, path, Resource.ASSIGNMENT, Action.READ, "acknowledge")
        target = "assignment" if "{assignment_id}" in rel else "none"
        return Op(method, path, Resource.ASSIGNMENT, Action.READ, target)
    if rel.startswith(("/comments", "/oversight-reports", "/recommendations")):
        return _classify_oversight(method, path, rel)
    head = rel.split("/")[1]
    if head in CATALOGS:
        target = "item" if "{code}" in rel else "none"
        return Op(method, path, Resource.CATALOG, Action.WRITE if write else Action.READ, target)
    return None


# The Front's oversight (docs/oversight.md): the unit concerned answers through its leader or
# consolidating office, or a province role; the Front writes; data-entry clerks see nothing.
RESPONDING = frozenset({"consolidator", "unit_leader", "province_admin", "planning_officer", "leadership"})


def _classify_oversight(method: str, path: str, rel: str) -> Op:
    resource = Resource.COMMENT if rel.startswith("/comments") else Resource.OVERSIGHT_REPORT
    target = ("comment" if "{comment_id}" in rel else "report" if "{report_id}" in rel
              else "recommendation" if "{recommendation_id}" in rel else "none")
    if rel.endswith("/responses"):  # read grant + a working role of the unit concerned
        return Op(method, path, resource, Action.READ, target, RESPONDING)
    return Op(method, path, resource, Action.WRITE if method != "GET" else Action.READ, target)


# -- the world the matrix runs in ------------------------------------------------------------


@dataclass
class World:
    units: dict[str, dict]  # code -> unit JSON (this province)
    by_id: dict[str, dict]
    other_unit_id: str
    items: dict[str, str]  # catalog path -> an existing code in this province
    sibling: str  # a commune of this province other than Xã Hà Tây
    documents: dict[str, str]  # owner unit code -> id of a matrix document it owns
    other_document: str  # a document of another province (written into the database)
    submissions: dict[str, str]  # unit code -> id of its report for MATRIX_PERIOD
    other_submission: str  # a report of another province (written into the database)
    decision: str = ""  # an issued province decision (assignments to Xã Hà Tây and the sibling)
    assignments: dict[str, str] | None = None  # assignee unit code -> its assignment id
    other_decision: tuple[str, str] = ("", "")  # another province's decision and assignment
    # the Front's oversight: comments on the matrix targets and recommendations by assignee
    # unit code, a filed report, a draft; another province's comment, report, recommendation
    comments: dict[str, str] | None = None
    reports: dict[str, str] | None = None  # "filed", "draft"
    recommendations: dict[str, str] | None = None
    other_oversight: tuple[str, str, str] = ("", "", "")


async def _insert_other_province(database_url: str) -> str:
    """Another province's unit and one item of each catalog kind, in the same database."""
    engine = create_async_engine(database_url)
    other_unit = str(uuid.uuid4())
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET search_path TO catalog"))
        meta = sa.MetaData()
        await conn.run_sync(lambda c: meta.reflect(c, only=["org_units", "catalog_items",
                                                            "catalog_item_versions"]))
        units, items, versions = (meta.tables[n] for n in ("org_units", "catalog_items",
                                                            "catalog_item_versions"))
        now = datetime.now(UTC)
        await conn.execute(sa.insert(units).values(
            id=other_unit, code="01", name="Thành phố Hà Nội", short_name="", name_folded="ha noi 01",
            kind="province", parent_id=None, province_code="01", valid_from=date(2025, 7, 1),
            valid_to=None, successor_ids=[], version=1, updated_at=now))
        kinds = (await conn.execute(sa.select(items.c.kind).distinct())).scalars().all()
        for kind in kinds:
            source = (await conn.execute(
                sa.select(items).where(items.c.kind == kind, items.c.province_code == "31").limit(1)
            )).mappings().one()
            new_id = str(uuid.uuid4())
            await conn.execute(sa.insert(items).values(
                {**source, "id": new_id, "code": OTHER_CODE, "province_code": "01",
                 "search_text": f"{source['search_text']} khac01"}))
            rows = (await conn.execute(
                sa.select(versions).where(versions.c.item_id == source["id"]))).mappings().all()
            for row in rows:
                await conn.execute(sa.insert(versions).values({**row, "item_id": new_id}))
    await engine.dispose()
    return other_unit


async def _insert_other_province_assignment(database_url: str) -> tuple[str, str]:
    """An issued decision of another province with one assignment, in the same database."""
    engine = create_async_engine(database_url)
    decision_id, assignment_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET search_path TO assignment"))
        meta = sa.MetaData()
        await conn.run_sync(lambda c: meta.reflect(c, only=["decisions", "assignments"]))
        common = {"province_code": "01", "created_by": "hn", "created_at": now, "updated_by": "hn",
                  "updated_at": now, "version": 1, "year": 2026, "plan_period": "", "front_unit_ids": []}
        await conn.execute(sa.insert(meta.tables["decisions"]).values(
            id=decision_id, issuer_unit_id="hn", number="1/QĐ-HN", title="Hà Nội", issued_on=date(2026, 1, 5),
            signer="", legal_basis="", effective_from=None, adjusts_decision_id=None, document_id="x",
            status="issued", issued_at=now, revoke_reason="", assignment_count=1, **common))
        await conn.execute(sa.insert(meta.tables["assignments"]).values(
            id=assignment_id, decision_id=decision_id, kind="criteria_set", assignee_unit_id="hn-xa",
            role="lead", assigner_unit_id="hn", subject_key="criteria_set:x",
            subject={"criteria_set_id": "x", "note": ""}, status="issued",
            effective_from=date(2026, 1, 5), effective_to=None, superseded_by_id="", acknowledged_by="",
            acknowledged_at=None, acknowledgement_note="", overdue_notified_at=None,
            decision_number="1/QĐ-HN", issued_on=date(2026, 1, 5), indicator_code=None, **common))
    await engine.dispose()
    return decision_id, assignment_id


async def _issue_matrix_decision(client: httpx.AsyncClient, by_code: dict, sibling: str, ca) -> tuple[str, dict[str, str]]:
    """A province decision giving a 2029 target to Xã Hà Tây and to the sibling commune, opened
    to the city's Front committee, issued with a signed PDF."""
    from ktxh_testing.pdf_signing import plain_pdf, sign_pdf

    body = {"number": "9/QĐ-MT", "title": "Ma trận", "issued_on": "2026-01-05", "year": 2029,  # a year no other test assigns
            "issuer_unit_id": by_code["31.STC"]["id"], "front_unit_ids": [by_code["31.MTTQ"]["id"]],
            "assignments": [{"assignee_unit_id": by_code[c]["id"], "target": {"key": {"indicator_code": "HP2081.XIII.11"},
                                                                       "target_value": "2", "comparison": "at_most"}}
                            for c in ("10846", sibling)]}
    for _ in range(120):  # the assignment service learns the units from the catalog's events
        r = await client.post(f"{API}/assignment-decisions", json=body)
        if r.status_code != 422 or "unit_id" not in r.text:
            break
        await asyncio.sleep(0.5)
    assert r.status_code == 201, r.text
    draft = r.json()
    r = await client.post(f"{API}/documents", data={
        "owner_type": "assignment_decision", "owner_id": draft["id"], "owner_org_unit_code": "31",
        "kind": "decision", "title": "QĐ ma trận"},
        files={"file": ("qd.pdf", sign_pdf(plain_pdf("Ma tran"), ca.issue("Trần Văn Tâm")), "application/pdf")})
    assert r.status_code == 201, r.text
    r = await client.post(f"{API}/assignment-decisions/{draft['id']}/issue",
                          json={"document_id": r.json()["id"], "version": draft["version"]})
    assert r.status_code == 200, r.text
    ids = {by_id_code(by_code, a["assignee_unit_id"]): a["id"] for a in r.json()["assignments"]}
    return draft["id"], ids


async def _front_oversight(target, by_code: dict, sibling: str,
                           assignments: dict[str, str]) -> tuple[dict, dict, dict]:
    """As the city's Front (mttq): a comment on each matrix target, a report overseeing both
    communes with a recommendation to each, filed to the city; and a draft. The oversight
    service learns the units from the catalog's events, so the first call may wait."""
    token = await target.sign_in("mttq")
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        comments = {}
        for code in ("10846", sibling):
            for _ in range(120):
                r = await client.post(f"{API}/comments", json={
                    "subject": {"kind": "assignment", "id": assignments[code]}, "text": f"Ma trận {code}"})
                if r.status_code != 403:
                    break
                await asyncio.sleep(0.5)
            assert r.status_code == 201, r.text
            comments[code] = r.json()["id"]
        body = {"title": "Giám sát ma trận", "overseen_unit_ids": [by_code[c]["id"] for c in ("10846", sibling)],
                "findings": "Ma trận", "recommendations": [
                    {"code": str(i), "text": f"Kiến nghị {c}", "addressee_unit_id": by_code[c]["id"],
                     "due_date": "2029-12-31"} for i, c in enumerate(("10846", sibling), 1)]}
        r = await client.post(f"{API}/oversight-reports", json=body)
        assert r.status_code == 201, r.text
        filed = r.json()
        r = await client.post(f"{API}/oversight-reports/{filed['id']}/file", json={"version": filed["version"]})
        assert r.status_code == 200, r.text
        recs = {by_id_code(by_code, x["addressee_unit_id"]): x["id"] for x in r.json()["recommendations"]}
        r = await client.post(f"{API}/oversight-reports", json={**body, "title": "Dự thảo ma trận"})
        assert r.status_code == 201, r.text
        return comments, {"filed": filed["id"], "draft": r.json()["id"]}, recs


async def _insert_other_province_oversight(database_url: str) -> tuple[str, str, str]:
    """Another province's comment, filed report and recommendation, in the same database."""
    engine = create_async_engine(database_url)
    ids = tuple(str(uuid.uuid4()) for _ in range(3))
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET search_path TO oversight"))
        meta = sa.MetaData()
        await conn.run_sync(lambda c: meta.reflect(c, only=["comments", "oversight_reports", "recommendations"]))
        await conn.execute(sa.insert(meta.tables["comments"]).values(
            id=ids[0], province_code="01", front_unit_id="hn-mttq", addressee_unit_id="hn-xa",
            subject_kind="org_unit", subject_id="hn-xa", status="open", deleted=False, posted_at=now,
            version=1, payload={}))
        await conn.execute(sa.insert(meta.tables["oversight_reports"]).values(
            id=ids[1], province_code="01", front_unit_id="hn-mttq", filed_to_unit_id="hn", status="filed",
            year=2026, created_at=now, version=2, payload={}))
        await conn.execute(sa.insert(meta.tables["recommendations"]).values(
            id=ids[2], report_id=ids[1], province_code="01", front_unit_id="hn-mttq", filed_to_unit_id="hn",
            addressee_unit_id="hn-xa", filed=True, status="open", due_date=date(2029, 12, 31)))
    await engine.dispose()
    return ids  # type: ignore[return-value]


MATRIX_OWNER = "access_matrix"  # owner type of the matrix's documents (listings filter on it)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def _insert_other_province_document(database_url: str) -> str:
    engine = create_async_engine(database_url)
    doc_id = str(uuid.uuid4())
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET search_path TO document"))
        meta = sa.MetaData()
        await conn.run_sync(lambda c: meta.reflect(c, only=["documents"]))
        await conn.execute(sa.insert(meta.tables["documents"]).values(
            id=doc_id, province_code="01", kind="other", title="Văn bản Hà Nội",
            owner_type=MATRIX_OWNER, owner_id="hn", owner_org_unit_code="01",
            created_by="hn", created_at=datetime.now(UTC), version=1))
    await engine.dispose()
    return doc_id


async def _insert_other_province_submission(database_url: str, unit_id: str) -> str:
    engine = create_async_engine(database_url)
    sub_id = str(uuid.uuid4())
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET search_path TO submission"))
        meta = sa.MetaData()
        await conn.run_sync(lambda c: meta.reflect(c, only=["submissions"]))
        await conn.execute(sa.insert(meta.tables["submissions"]).values(
            id=sub_id, province_code="01", org_unit_id=unit_id, org_unit_code="01",
            period_code=MATRIX_PERIOD, period_kind="month", period_start=date(2026, 12, 1),
            calendar_code="LICH.HP2081", deadline=date(2026, 12, 18), status="draft", note="",
            lines=[], sections={}, sent_at=None, accepted_at=None, return_count=0,
            created_by="hn", created_at=datetime.now(UTC), version=1))
    await engine.dispose()
    return sub_id


async def _open_matrix_submissions(client: httpx.AsyncClient, codes: list[str]) -> dict[str, str]:
    """A report for each unit, opened by the province (the upper level); the submission
    service learns units and calendars from the catalog's events, so the first may wait."""
    ids = {}
    for code in codes:
        body = {"org_unit_code": code, "period_code": MATRIX_PERIOD,
                "calendar_code": "LICH.HP2081", "lines": seed_001_lines()}
        for _ in range(120):
            r = await client.post(f"{API}/submissions", json=body)
            if r.status_code != 404 and not (r.status_code == 422 and "lịch" in r.text):
                break
            await asyncio.sleep(0.5)
        assert r.status_code == 201, r.text
        ids[code] = r.json()["id"]
    return ids


async def _upload_matrix_documents(client: httpx.AsyncClient, codes: set[str]) -> dict[str, str]:
    """One PNG document per unit code, uploaded by the province admin (province-wide)."""
    ids = {}
    for code in sorted(codes):
        r = await client.post(f"{API}/documents", data={
            "owner_type": MATRIX_OWNER, "owner_id": code, "owner_org_unit_code": code,
            "kind": "other", "title": f"Ma trận {code}"}, files={"file": ("a.png", PNG, "image/png")})
        assert r.status_code == 201, r.text
        ids[code] = r.json()["id"]
    return ids


async def _wait_for_unit_replica(target, own_code: str, doc_id: str) -> None:
    """The document service learns the unit tree from the catalog's events: wait until a unit
    user (an office's clerk, acting for its commune) reaches its own unit's document."""
    token = await target.sign_in("nhap_lieu")
    async with httpx.AsyncClient(base_url=target.base_url, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(120):
            if (await client.get(f"{API}/documents/{doc_id}")).status_code == 200:
                return
            await asyncio.sleep(0.5)
    raise AssertionError(f"the document service never learned unit {own_code}")


@pytest.fixture(scope="module")
def world(distributed_target, document_ca) -> World:
    target = distributed_target

    async def build() -> World:
        other = await _insert_other_province(target.extra["database_url"])
        admin = await target.sign_in("admin")
        async with httpx.AsyncClient(base_url=target.base_url, timeout=30,
                                     headers={"Authorization": f"Bearer {admin}"}) as client:
            units = (await client.get(f"{API}/org-units", params={"page_size": 500})).json()
            assert units["total"] <= 500
            by_code = {u["code"]: u for u in units["items"]}
            items = {}
            for path in CATALOGS:
                r = await client.get(f"{API}/{path}", params={"page_size": 1})
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
                page = r.json()
                if page["items"]:
                    items[path] = page["items"][0]["code"]
            sibling = next(c for c, u in sorted(by_code.items())
                           if u["kind"] == "commune" and c != "10846")
            codes = {sibling} | {u.org_unit for u in DEMO_USERS}
            codes |= {by_id_code(by_code, by_code[c]["parent_id"]) for c in list(codes)
                      if by_code[c]["parent_id"]}
            documents = await _upload_matrix_documents(client, codes)
            decision, assignments = await _issue_matrix_decision(client, by_code, sibling, document_ca)
            submissions = await _open_matrix_submissions(client, ["10846", sibling])
        comments, reports, recommendations = await _front_oversight(target, by_code, sibling, assignments)
        other_oversight = await _insert_other_province_oversight(target.extra["database_url"])
        other_document = await _insert_other_province_document(target.extra["database_url"])
        other_decision = await _insert_other_province_assignment(target.extra["database_url"])
        other_submission = await _insert_other_province_submission(
            target.extra["database_url"], other)
        await _wait_for_unit_replica(target, USERS["nhap_lieu"].org_unit,
                                     documents[USERS["nhap_lieu"].org_unit])
        return World(by_code, {u["id"]: u for u in by_code.values()}, other, items, sibling,
                     documents, other_document, submissions, other_submission,
                     decision, assignments, other_decision, comments, reports, recommendations,
                     other_oversight)

    return asyncio.run(build())


def by_id_code(by_code: dict[str, dict], unit_id: str) -> str:
    return next(c for c, u in by_code.items() if u["id"] == unit_id)


def visible_units(world: World, username: str, *, upward: bool = True) -> set[str]:
    """docs/security.md, independently: which unit codes a user reads (org units also the
    chain above the home unit; documents only the home unit and below)."""
    user = USERS[username]
    if not user.roles.isdisjoint({"province_admin", "system_admin", "planning_officer",
                                  "leadership", "integration"}):
        return set(world.units)
    own = world.units[user.org_unit]
    home = world.by_id[own["parent_id"]] if own["kind"] in ("office", "front") else own
    seen = {home["code"]}
    frontier = [home["id"]]
    while frontier:
        children = [u for u in world.units.values() if u["parent_id"] in frontier]
        seen |= {u["code"] for u in children}
        frontier = [u["id"] for u in children]
    up = home
    while upward and up["parent_id"]:
        up = world.by_id[up["parent_id"]]
        seen.add(up["code"])
    return seen


def visible_documents(world: World, username: str) -> set[str]:
    """Owner unit codes of the documents a user reads: province roles the province; the Front
    only its own committee's (nothing is opened to it yet); unit roles the home unit and below."""
    user = USERS[username]
    if user.roles == {"front_member"}:
        return {user.org_unit}
    return visible_units(world, username, upward=False)


def visible_assignment(world: World, username: str, assignee_code: str) -> bool:
    """Published assignments: province roles all; the Front those naming its committee (the
    matrix decision names the city's); unit roles those given to a unit of their scope."""
    user = USERS[username]
    if not user.roles.isdisjoint({"province_admin", "planning_officer", "leadership", "integration"}):
        return True
    if user.roles == {"front_member"}:
        return True
    return assignee_code in visible_units(world, username, upward=False)


def acknowledges(world: World, username: str, assignee_code: str) -> bool:
    """Only the assignee's own users (the token's unit or the unit it belongs to), working roles."""
    user = USERS[username]
    own = world.units[user.org_unit]
    mine = {own["code"]} | ({by_id_code(world.units, own["parent_id"])} if own["kind"] in ("office", "front") else set())
    return assignee_code in mine


ACKNOWLEDGING = {"data_entry", "consolidator", "unit_leader", "province_admin", "planning_officer", "leadership"}
def visible_submissions(world: World, username: str) -> set[str]:
    """Unit codes whose reports a user reads: the home unit and below (not the chain above);
    the Front none (nothing is opened to it yet)."""
    if USERS[username].roles == {"front_member"}:
        return set()
    return visible_units(world, username, upward=False)


def targets(world: World, username: str, op: Op) -> dict[str, str | None]:
    """Target name -> unit id / item code / document id / report id (None: no target)."""
    if op.target == "none":
        return {"collection": None}
    if op.target in ("assignment", "acknowledge"):
        assert world.assignments is not None
        return {"Xã Hà Tây": world.assignments["10846"], "sibling commune": world.assignments[world.sibling],
                "other province": world.other_decision[1]}
    if op.target == "decision":
        return {"province decision": world.decision, "other province": world.other_decision[0]}
    if op.target in ("comment", "recommendation"):
        assert world.comments is not None and world.recommendations is not None
        mine = world.comments if op.target == "comment" else world.recommendations
        other = world.other_oversight[0] if op.target == "comment" else world.other_oversight[2]
        return {"Xã Hà Tây": mine["10846"], "sibling commune": mine[world.sibling], "other province": other}
    if op.target == "report":
        assert world.reports is not None
        return {"filed report": world.reports["filed"], "draft report": world.reports["draft"],
                "other province": world.other_oversight[1]}
    if op.target == "notice":
        return {"unknown notice": str(uuid.uuid4())}
    if op.target == "unknown":
        return {"unknown id": str(uuid.uuid4())}
    if op.target == "evaluation":  # the matrix world opens no round (docs/evaluation.md)
        return {"unknown evaluation": str(uuid.uuid4())}
    if op.target == "submission":
        return {"Xã Hà Tây": world.submissions["10846"],
                "sibling commune": world.submissions[world.sibling],
                "other province": world.other_submission}
    if op.target == "document":
        own = world.units[USERS[username].org_unit]
        out = {"own unit": world.documents[own["code"]],
               "sibling commune": world.documents[world.sibling],
               "other province": world.other_document}
        if own["parent_id"]:
            out["parent"] = world.documents[by_id_code(world.units, own["parent_id"])]
        return out
    if op.target == "item":
        own = world.items.get(op.path.removeprefix(API).split("/")[1])
        return {"own province": own, "other province": OTHER_CODE} if own else {
            "other province": OTHER_CODE}
    own = world.units[USERS[username].org_unit]
    out = {"own unit": own["id"], "sibling commune": world.units[world.sibling]["id"],
           "other province": world.other_unit_id}
    if own["parent_id"]:
        out["parent"] = own["parent_id"]
    return out


def expected(world: World, username: str, op: Op, target: str, value: str | None) -> str:
    if not may(PRINCIPALS[username], op.resource, op.action):
        return "403"
    if op.target == "acknowledge" and USERS[username].roles.isdisjoint(ACKNOWLEDGING):
        return "403"
    if op.roles and PRINCIPALS[username].roles.isdisjoint(op.roles):
        return "403"
    if target == "other province":
        return "404"
    if op.target in ("assignment", "acknowledge"):
        code = "10846" if target == "Xã Hà Tây" else world.sibling
        if not visible_assignment(world, username, code):
            return "404"
        if op.target == "acknowledge" and not acknowledges(world, username, code):
            return "403"
    if op.target in ("comment", "recommendation", "report"):
        front = USERS[username].roles == {"front_member"}
        if target == "draft report" and not front:
            return "404"  # a draft stays with the Front
        if not front and not PRINCIPALS[username].roles & {"province_admin", "planning_officer", "leadership"}:
            # unit roles: what is addressed to a unit of their scope (both communes get a
            # recommendation of the filed report)
            code = "10846" if target == "Xã Hà Tây" else world.sibling
            if target != "filed report" and code not in visible_units(world, username, upward=False):
                return "404"
            if target == "filed report" and not {"10846", world.sibling} & visible_units(world, username, upward=False):
                return "404"
            if target == "filed report" and op.path.endswith("/responses"):
                return "403"  # the report as a whole is answered by the People's Committee it is filed to
    if op.target == "decision" and op.action is Action.WRITE and USERS[username].roles.isdisjoint(
            {"province_admin", "planning_officer"}):
        return "403"  # the issuer (the city's finance department) is outside a unit writer's scope
    if op.target == "unit":
        code = world.by_id[value]["code"]
        if code not in visible_units(world, username):
            return "404"
    if op.target == "notice":  # the matrix world has no notice: none is reached, for anyone
        return "404"
    if op.target == "unknown":  # an edition, connector or transmission no one has
        return "404"
    if op.target == "evaluation":  # no round in the matrix world: none is reached
        return "404"
    if op.target == "document":
        code = next(c for c, i in world.documents.items() if i == value)
        if code not in visible_documents(world, username):
            return "404"
    if op.target == "submission":
        code = next(c for c, i in world.submissions.items() if i == value)
        if code not in visible_submissions(world, username):
            return "404"
    return "reached"


def _text_field(spec: dict, op: Op) -> str:
    """A plain text field of the operation's JSON body (name, title...), from the schema."""
    body = spec["paths"][op.path][op.method.lower()]["requestBody"]["content"]["application/json"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[1]
    props = spec["components"]["schemas"][ref]["properties"]
    for name, prop in props.items():
        kinds = [prop.get("type")] + [a.get("type") for a in prop.get("anyOf", [])]
        if name not in ("code", "reason", "effective_from") and "string" in kinds and (
                "format" not in prop and "enum" not in prop and "pattern" not in prop):
            return name
    raise AssertionError(f"no text field in {ref}")


def request_for(world: World, op: Op, value: str | None, spec: dict) -> dict[str, Any]:
    rel = op.path.removeprefix(API)
    url = (op.path.replace("{unit_id}", value or "").replace("{code}", value or "")
           .replace("{document_id}", value or "").replace("{notification_id}", value or "")
           .replace("{submission_id}", value or "").replace("{published_report_id}", value or "")
           .replace("{connector_id}", value or "").replace("{transmission_id}", value or ""))
    headers: dict[str, str] = {}
    kwargs: dict[str, Any] = {"method": op.method, "url": url}
    province_id = world.units["31"]["id"]
    if op.method in ("PATCH", "PUT") or rel.endswith(("/retire", "/move")):
        headers["If-Match"] = STALE  # a stale version: nothing can change
    if rel == "/documents" and op.method == "POST":  # an owner type the service refuses
        kwargs["data"] = {"owner_type": "Không hợp lệ", "owner_org_unit_code": "10846"}
        kwargs["files"] = {"file": ("a.png", PNG, "image/png")}
    elif rel.endswith("/versions"):  # a stale version: nothing is added
        headers["If-Match"] = STALE
        kwargs["files"] = {"file": ("a.png", PNG, "image/png")}
    elif rel.endswith("/verification"):  # a PNG has no signature to verify: refused
        pass
    elif rel.startswith(("/assignment-decisions", "/assignments")) and op.method != "GET":
        url = url.replace("{decision_id}", value or "").replace("{assignment_id}", value or "")
        kwargs["url"] = url
        if op.method == "PATCH":
            headers["If-Match"] = STALE
            kwargs["json"] = {"title": "Tên mới"}
        elif rel.endswith("/assignments"):  # a stale version: nothing is replaced
            kwargs["json"] = {"assignments": [], "version": 999999}
        elif rel.endswith("/revoke"):
            kwargs["json"] = {"reason": "ma trận", "version": 999999}
        elif rel.endswith(("/issue", "/acknowledge")):
            kwargs["json"] = {"version": 999999}
        else:  # create: an empty decision is refused by the service
            kwargs["json"] = {}
    elif rel.startswith(("/assignment-decisions", "/assignments")):
        kwargs["url"] = url.replace("{decision_id}", value or "").replace("{assignment_id}", value or "")
    elif rel.startswith(("/comments", "/oversight-reports", "/recommendations")):
        kwargs["url"] = (url.replace("{comment_id}", value or "").replace("{report_id}", value or "")
                         .replace("{recommendation_id}", value or ""))
        if rel.endswith("/responses"):  # blank: refused once the answerer is known to be entitled
            kwargs["json"] = {"text": " "}
        elif op.method == "PATCH":
            headers["If-Match"] = STALE
            kwargs["json"] = {"text": "Sửa"}
        elif op.method == "PUT":  # a stale version of a draft, or a filed report: nothing changes
            headers["If-Match"] = STALE
            kwargs["json"] = {"title": "Sửa", "overseen_unit_ids": []}
        elif op.method == "DELETE" or rel.endswith("/close"):
            headers["If-Match"] = STALE
        elif rel.endswith("/file"):
            kwargs["json"] = {"version": 999999}
        elif rel.endswith(("/accept", "/reopen")):
            kwargs["json"] = {"version": 999999, "remark": "ma trận"}
        elif op.method == "POST":  # create: an empty body is refused
            kwargs["json"] = {}
    elif rel.startswith(("/evaluation-rounds", "/evaluations")):
        kwargs["url"] = (url.replace("{round_id}", value or "").replace("{evaluation_id}", value or "")
                         .replace("{revision}", "1"))
        if rel == "/evaluation-rounds" and op.method == "POST":  # a criteria set nobody has
            kwargs["json"] = {"criteria_set_id": "KHONG-CO", "year": 2026,
                              "self_evaluation_deadline": "2027-01-15",
                              "evaluation_deadline": "2027-01-31"}
        elif op.method == "PUT":
            kwargs["json"] = {"scores": [], "version": 999999}
        elif rel.endswith("/close"):
            kwargs["json"] = {"version": 999999}
        elif rel.endswith("/editions") and op.method == "POST":
            kwargs["json"] = {"note": "ma trận"}
        elif op.method == "POST" and not rel.endswith("/refresh"):
            kwargs["json"] = {"version": 999999, "reason": "ma trận"}
    elif rel == "/org-units/tree":
        kwargs["url"] = op.path
        kwargs["params"] = {"root_id": value}
    elif rel == "/org-units" and op.method == "POST":  # a parent out of every scope: refused
        kwargs["json"] = {"code": "MTX1", "name": "Ma trận", "kind": "agency",
                          "parent_id": world.other_unit_id}
    elif rel == "/org-units/merge":
        kwargs["json"] = {"source_ids": [world.other_unit_id], "successor_id": province_id,
                          "effective_from": "2030-01-01"}
    elif rel.endswith("/move"):
        kwargs["json"] = {"new_parent_id": province_id}
    elif op.method == "PATCH":
        kwargs["json"] = {_text_field(spec, op): "Tên mới"}
    elif rel.endswith("/note"):  # the whole report's note at a stale version: nothing changes
        kwargs["json"] = {"note": "ma trận", "expected_version": 999999}
    elif op.method == "PUT":
        kwargs["json"] = {}
    elif rel.endswith("/retire"):
        kwargs["json"] = {"reason": "ma trận"}
    elif op.method == "POST" and rel.endswith("/xlsx"):  # not a workbook: refused, after the scope
        kwargs["params"] = {"dry_run": "true"}
        kwargs["files"] = {"file": ("a.xlsx", b"PK not a workbook", XLSX_MEDIA)}
    elif op.method == "POST" and rel.endswith("/import"):
        kwargs["params"] = {"dry_run": "true"}
        kwargs["files"] = {"file": ("a.json", b"{}", "application/json")}
    elif op.method == "POST":  # create: an empty definition is refused by the service
        kwargs["json"] = {}
    elif rel.endswith("/deadlines"):
        kwargs["params"] = {"period": "2026-M11"}
    elif rel.endswith("/export") and "indicator-sets" in rel:
        kwargs["params"] = {"format": "json"}
    kwargs["headers"] = headers
    return kwargs


def verdict(status: int) -> str:
    if status in (403, 404):
        return str(status)
    if status in (401,) or status >= 500:
        return f"error {status}"
    return "reached"


async def test_every_operation_is_in_the_matrix(distributed_target) -> None:
    # the first request builds the OpenAPI document: slow on a loaded machine
    async with httpx.AsyncClient(base_url=distributed_target.base_url, timeout=60) as client:
        spec = (await client.get(f"{API}/openapi.json")).json()
    ops = [(m.upper(), p) for p, item in spec["paths"].items() for m in item]
    assert len(ops) > 60
    assert [o for o in ops if classify(*o) is None] == []


async def test_matrix(distributed_target, world: World, capsys) -> None:
    target = distributed_target
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as client:
        spec = (await client.get(f"{API}/openapi.json")).json()
    ops = [classify(m.upper(), p) for p, item in spec["paths"].items() for m in item]
    failures: list[str] = []
    # every cell is independent (reads, or writes sent stale or invalid that change nothing):
    # the cells of all users are tried concurrently, a few requests in flight at a time
    in_flight = asyncio.Semaphore(MATRIX_CONCURRENCY)

    async def send(client: httpx.AsyncClient, op: Op, value: str | None) -> httpx.Response:
        async with in_flight:
            return await client.request(**request_for(world, op, value, spec))

    async def cell(client: httpx.AsyncClient, username: str, op: Op, name: str, value: str | None) -> None:
        want = expected(world, username, op, name, value)
        response = await send(client, op, value)
        got = verdict(response.status_code)
        if got != want:
            failures.append(f"{username:9} {op.method:5} {op.path} [{name}]: "
                            f"want {want}, got {response.status_code} "
                            f"{response.text[:160]}")

    async def front_cell(client: httpx.AsyncClient, op: Op, name: str, value: str | None) -> None:
        response = await send(client, op, value)
        if response.status_code != 403:
            failures.append(f"mttq changed? {op.method} {op.path} [{name}]: "
                            f"{response.status_code} {response.text[:160]}")

    async def check_user(username: str) -> int:
        token = await target.sign_in(username)
        async with httpx.AsyncClient(base_url=target.base_url, timeout=60,
                                     headers={"Authorization": f"Bearer {token}"}) as client:
            tried = [cell(client, username, op, name, value) for op in ops if op is not None
                     for name, value in targets(world, username, op).items()]
            checks = list(tried)
            if PRINCIPALS[username].roles == {"front_member"}:
                # the Front never changes figures, reports, tasks, assignments or catalogs,
                # whatever the endpoint (issue 14), independently of the policy table
                checks += [front_cell(client, op, name, value) for op in ops
                           if op is not None and op.method != "GET" and op.resource in FRONT_NEVER_CHANGES
                           for name, value in targets(world, username, op).items()]
            await asyncio.gather(*checks)
            await check_listings(client, username)
        return len(tried)

    async def check_listings(client: httpx.AsyncClient, username: str) -> None:
        # listings: exactly the visible units, nothing of another province or a sibling
        listed = (await client.get(f"{API}/org-units", params={"page_size": 500})).json()
        codes = {u["code"] for u in listed["items"]}
        if codes != visible_units(world, username) or listed["total"] != len(codes):
            failures.append(f"{username}: org-unit list {sorted(codes)[:8]}... "
                            f"({listed['total']}) is not the scope")
        tree = (await client.get(f"{API}/org-units/tree")).json()
        in_tree: set[str] = set()
        stack = list(tree["roots"])
        while stack:
            node = stack.pop()
            in_tree.add(node["unit"]["code"])
            stack.extend(node["children"])
        if in_tree != visible_units(world, username):
            failures.append(f"{username}: org-unit tree is not the scope")
        if may(PRINCIPALS[username], Resource.DOCUMENT, Action.READ):
            page = (await client.get(f"{API}/documents", params={
                "owner_type": MATRIX_OWNER, "page_size": 500})).json()
            owners = {d["owner"]["org_unit_code"] for d in page["items"]}
            want = set(world.documents) & visible_documents(world, username)
            if owners != want or page["total"] != len(want):
                failures.append(f"{username}: document list {sorted(owners)} "
                                f"({page['total']}) is not the scope {sorted(want)}")
        if may(PRINCIPALS[username], Resource.ASSIGNMENT, Action.READ):
            assert world.assignments is not None
            page = (await client.get(f"{API}/assignments", params={"decision_id": world.decision})).json()
            got = {by_id_code(world.units, a["assignee_unit_id"]) for a in page["items"]}
            want = {c for c in world.assignments if visible_assignment(world, username, c)}
            if got != want:
                failures.append(f"{username}: assignment list {sorted(got)} is not the scope {sorted(want)}")
            everything = (await client.get(f"{API}/assignments", params={"page_size": 1000})).json()
            if any(a["province_code"] != "31" for a in everything["items"]):
                failures.append(f"{username}: assignments of another province listed")
        if may(PRINCIPALS[username], Resource.SUBMISSION, Action.READ):
            page = (await client.get(f"{API}/submissions", params={
                "period_code": MATRIX_PERIOD, "page_size": 500})).json()
            units = {s["org_unit_code"] for s in page["items"]}
            want = set(world.submissions) & visible_submissions(world, username)
            if units != want or page["total"] != len(want):
                failures.append(f"{username}: report list {sorted(units)} "
                                f"({page['total']}) is not the scope {sorted(want)}")
        for path in CATALOGS:
            page = (await client.get(f"{API}/{path}", params={"q": OTHER_CODE})).json()
            if page["total"] or page["items"]:
                failures.append(f"{username}: {path} lists another province's item")

    assert all(op is not None for op in ops)
    cells = sum(await asyncio.gather(*(check_user(u) for u in USERS)))
    failures.sort()
    with capsys.disabled():
        print(f"\naccess matrix: {cells} cells, {len(USERS)} users, {len(ops)} operations, "
              f"{len(failures)} failures")
    assert not failures, "\n".join(failures)
    assert cells > 900
