"""In-memory fakes of the document service's ports and unit of work (unit tests only)."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

from ktxh_document.domain.documents import Document, DocumentVersion, StoredObject
from ktxh_document.domain.signatures import Verification
from ktxh_platform.access import Scope
from ktxh_platform.domain import PreconditionFailed


class FakeRepository:
    """Scopes over a small unit tree (code -> parent code): a unit scope reaches its unit and
    the units below it. Offices and merged units are covered by the SQL tests."""

    def __init__(self, tree: dict[str, str | None] | None = None) -> None:
        self.tree = tree if tree is not None else {"31": None, "10846": "31", "11311": "31"}
        self.docs: dict[str, Document] = {}
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}
        self.seen: list = []

    def _reaches(self, scope: Scope, doc_province: str, unit_code: str) -> bool:
        if doc_province != scope.province:
            return False
        if scope.opened_only:
            return unit_code == scope.unit_code
        code: str | None = unit_code
        while code is not None and not scope.province_wide:
            if code == scope.unit_code:
                return True
            code = self.tree.get(code)
        return scope.province_wide

    async def unit_in_scope(self, unit_code: str, scope: Scope) -> bool:
        return self._reaches(scope, scope.province, unit_code)

    async def get(self, document_id: str, scope: Scope) -> Document | None:
        doc = self.docs.get(document_id)
        if doc is None or not self._reaches(scope, doc.province_code, doc.owner.org_unit_code):
            return None
        doc = copy.deepcopy(doc)
        self.seen.append(doc)
        return doc

    async def list(self, scope: Scope, *, owner_type="", owner_id="",
                   owner_org_unit_code="", kind=None, page_size=100, page_token=""):
        docs = [
            d for d in self.docs.values()
            if self._reaches(scope, d.province_code, d.owner.org_unit_code)
            and (not owner_type or d.owner.type == owner_type)
            and (not owner_id or d.owner.id == owner_id)
            and (not owner_org_unit_code or d.owner.org_unit_code == owner_org_unit_code)
            and (kind is None or d.kind == kind)
        ]
        return docs[:page_size], "", len(docs)

    async def add(self, doc: Document) -> None:
        self.pending = copy.deepcopy(doc)
        self.seen.append(doc)

    async def add_version(self, doc: Document, version: DocumentVersion, before_version: int) -> None:
        if self.docs[doc.id].version != before_version:
            raise PreconditionFailed("stale")
        self.pending = copy.deepcopy(doc)

    async def save_verification(self, doc, version, before_version) -> None:
        self.pending = copy.deepcopy(doc)

    async def result(self, key: str, actor: str, *, operation: str = ""):
        return self.keys.get((key, actor))

    async def remember(self, key, actor, request_hash, resource_id, *, operation: str = "") -> None:
        self.pending_key = ((key, actor), (request_hash, resource_id))


class FakeUnitOfWork:
    """Implements ``ktxh_document.service_layer.unit_of_work.DocumentUnitOfWork`` in memory."""

    def __init__(self, repo: FakeRepository, province_code: str = "31", fail_commit: bool = False) -> None:
        self.documents = repo
        self.idempotency = repo
        self.seen: list = []
        self.province_code = province_code
        self.fail_commit = fail_commit
        self.events: list = []

    async def __aenter__(self) -> FakeUnitOfWork:
        self.documents.pending = None
        self.documents.pending_key = None
        self.documents.seen = []
        return self

    async def __aexit__(self, *exc) -> None:
        self.documents.pending = None

    async def commit(self) -> None:
        if self.fail_commit:
            raise ConnectionError("database went away")
        repo = self.documents
        if repo.pending is not None:
            repo.docs[repo.pending.id] = repo.pending
        if repo.pending_key is not None:
            repo.keys[repo.pending_key[0]] = repo.pending_key[1]
        for agg in [*repo.seen, *self.seen]:
            self.events += agg.events
            agg.events = []


class FakeBlobStore:
    def __init__(self, fail_put: bool = False) -> None:
        self.objects: dict[str, tuple[bytes, str, date | None]] = {}
        self.fail_put = fail_put

    async def put(self, key: str, path: Path, content_type: str, retain_until: date | None) -> StoredObject:
        if self.fail_put:
            raise ConnectionError("object store unavailable")
        assert key not in self.objects
        self.objects[key] = (path.read_bytes(), content_type, retain_until)
        return StoredObject(key, "v1")

    async def discard(self, stored: StoredObject) -> None:
        self.objects.pop(stored.key, None)

    async def read(self, stored: StoredObject) -> AsyncIterator[bytes]:
        yield self.objects[stored.key][0]


class FakeVerifier:
    def __init__(self, result: Verification | None = None) -> None:
        self.result = result
        self.calls = 0

    async def verify(self, path: Path, sha256: str) -> Verification:
        from datetime import UTC, datetime

        self.calls += 1
        return self.result or Verification(sha256, datetime.now(UTC))
