"""Contract checks: generated code is fresh, buf lint passes, modules import, envelope works.

Run with ``uv run pytest tests/contracts``.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from google.protobuf import any_pb2, descriptor, timestamp_pb2

REPO = Path(__file__).resolve().parents[2]
SERVICES = {
    "catalog": "CatalogService",
    "assignment": "AssignmentService",
    "submission": "SubmissionService",
    "evaluation": "EvaluationService",
    "oversight": "OversightService",
    "document": "DocumentService",
    "reporting": "ReportingService",
}
# A cheap unary read per service, callable with an (almost) empty request: the smoke test.
SMOKE_RPCS = {
    "catalog": "ListOrgUnits",
    "assignment": "ListDecisions",
    "submission": "ListSubmissions",
    "evaluation": "ListEvaluations",
    "oversight": "ListComments",
    "document": "ListDocuments",
    "reporting": "GetOrgUnitStats",
}


def _buf() -> str:
    candidate = Path(sys.executable).parent / "buf"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("buf")
    if not found:
        pytest.fail("buf not found: run `uv sync` (buf-bin is a dev dependency)")
    return found


def _load_proto_script():
    spec = importlib.util.spec_from_file_location(
        "ktxh_proto_script", REPO / "scripts" / "proto.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_code_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "proto.py"), "--check"],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generation_is_deterministic(tmp_path: Path) -> None:
    proto = _load_proto_script()
    proto.generate(tmp_path / "a")
    proto.generate(tmp_path / "b")
    first, second = proto.snapshot(tmp_path / "a"), proto.snapshot(tmp_path / "b")
    assert first and first == second


def test_buf_lint_passes() -> None:
    result = subprocess.run([_buf(), "lint"], check=False, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_breaking_change_against_last_commit() -> None:
    # Working tree vs HEAD: catches renumbered, retyped or removed fields before commit.
    result = subprocess.run(
        [_buf(), "breaking", "--against", ".git#ref=HEAD"],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("svc", sorted(SERVICES))
def test_service_module_imports_and_declares_service(svc: str) -> None:
    pb2 = importlib.import_module(f"ktxh.{svc}.v1.{svc}_pb2")
    grpc_mod = importlib.import_module(f"ktxh.{svc}.v1.{svc}_pb2_grpc")
    events = importlib.import_module(f"ktxh.{svc}.v1.events_pb2")
    name = SERVICES[svc]

    service = pb2.DESCRIPTOR.services_by_name[name]
    assert service.full_name == f"ktxh.{svc}.v1.{name}"
    assert len(service.methods) >= 3
    for attr in (f"{name}Servicer", f"{name}Stub", f"add_{name}Servicer_to_server"):
        assert hasattr(grpc_mod, attr), attr

    smoke = service.methods_by_name[SMOKE_RPCS[svc]]
    assert not smoke.client_streaming and not smoke.server_streaming

    # Every service publishes at least one event, and events live in the service package.
    assert events.DESCRIPTOR.package == f"ktxh.{svc}.v1"
    assert events.DESCRIPTOR.message_types_by_name, f"{svc} publishes no events"


def test_every_event_is_documented_with_its_topic() -> None:
    # Each events.proto message comment names its topic (or the file comment does).
    for svc in SERVICES:
        text = (REPO / "proto" / "ktxh" / svc / "v1" / "events.proto").read_text(encoding="utf-8")
        assert f"ktxh.{svc}." in text, f"{svc}/v1/events.proto does not name its topics"


def test_envelope_round_trips_a_catalog_event() -> None:
    from ktxh.catalog.v1 import catalog_pb2, events_pb2
    from ktxh.common.v1 import envelope_pb2

    unit = catalog_pb2.OrgUnit(
        id=str(uuid.uuid4()),
        code="11311",
        name="Ủy ban nhân dân xã Hà Tây",
        kind=catalog_pb2.ORG_UNIT_KIND_COMMUNE,
        parent_id=str(uuid.uuid4()),
        province_code="31",
        valid_from="2025-07-01",
        version=1,
        short_name="Hà Tây",
        updated_at=timestamp_pb2.Timestamp(seconds=1_750_000_000),
    )
    event = events_pb2.OrgUnitCreated(unit=unit)
    payload = any_pb2.Any()
    payload.Pack(event)
    envelope = envelope_pb2.EventEnvelope(
        event_id=str(uuid.uuid4()),
        type=event.DESCRIPTOR.full_name,
        occurred_at=timestamp_pb2.Timestamp(seconds=1_750_000_000),
        province_code="31",
        actor="admin",
        aggregate_type="org_unit",
        aggregate_id=unit.id,
        aggregate_version=1,
        trace_parent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        trace_state="",
        payload=payload,
    )

    decoded = envelope_pb2.EventEnvelope.FromString(envelope.SerializeToString())
    assert decoded == envelope
    assert decoded.type == "ktxh.catalog.v1.OrgUnitCreated"
    assert decoded.payload.type_url == "type.googleapis.com/ktxh.catalog.v1.OrgUnitCreated"
    assert decoded.payload.Is(events_pb2.OrgUnitCreated.DESCRIPTOR)
    out = events_pb2.OrgUnitCreated()
    assert decoded.payload.Unpack(out)
    assert out.unit == unit
    assert out.unit.name == "Ủy ban nhân dân xã Hà Tây"


def _fields(message: descriptor.Descriptor) -> dict[str, tuple[int, str]]:
    def type_name(f: descriptor.FieldDescriptor) -> str:
        if f.message_type is not None:
            if f.message_type.GetOptions().map_entry:
                k, v = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
                return f"map<{type_name(k)},{type_name(v)}>"
            return f.message_type.full_name
        if f.enum_type is not None:
            return f.enum_type.full_name
        return {
            descriptor.FieldDescriptor.TYPE_STRING: "string",
            descriptor.FieldDescriptor.TYPE_INT64: "int64",
            descriptor.FieldDescriptor.TYPE_INT32: "int32",
            descriptor.FieldDescriptor.TYPE_BOOL: "bool",
            descriptor.FieldDescriptor.TYPE_BYTES: "bytes",
        }[f.type]

    out = {}
    for f in message.fields:
        prefix = "repeated " if f.is_repeated else ""
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            prefix = ""
        opt = (
            "optional " if f.has_presence and f.containing_oneof and f.message_type is None else ""
        )
        out[f.name] = (f.number, f"{opt}{prefix}{type_name(f)}")
    return out


KIND = "ktxh.catalog.v1.OrgUnitKind"
TS = "google.protobuf.Timestamp"
ORG_UNIT_SPEC = {
    "OrgUnit": {
        "id": (1, "string"),
        "code": (2, "string"),
        "name": (3, "string"),
        "kind": (4, KIND),
        "parent_id": (5, "string"),
        "province_code": (6, "string"),
        "valid_from": (7, "string"),
        "valid_to": (8, "string"),
        "version": (9, "int64"),
        "successor_ids": (10, "repeated string"),
        "short_name": (11, "string"),
        "updated_at": (12, TS),
    },
    "OrgUnitNode": {
        "unit": (1, "ktxh.catalog.v1.OrgUnit"),
        "children": (2, "repeated ktxh.catalog.v1.OrgUnitNode"),
    },
    "CreateOrgUnitRequest": {
        "code": (1, "string"),
        "name": (2, "string"),
        "kind": (3, KIND),
        "parent_id": (4, "string"),
        "valid_from": (5, "string"),
        "short_name": (6, "string"),
        "idempotency_key": (7, "string"),
    },
    "GetOrgUnitRequest": {"id": (1, "string"), "as_of": (2, "string")},
    "UpdateOrgUnitRequest": {
        "id": (1, "string"),
        "expected_version": (2, "int64"),
        "name": (3, "optional string"),
        "short_name": (4, "optional string"),
    },
    "MoveOrgUnitRequest": {
        "id": (1, "string"),
        "expected_version": (2, "int64"),
        "new_parent_id": (3, "string"),
    },
    "ListOrgUnitsRequest": {
        "parent_id": (1, "string"),
        "kind": (2, KIND),
        "query": (3, "string"),
        "as_of": (4, "string"),
        "page_size": (5, "int32"),
        "page_token": (6, "string"),
    },
    "ListOrgUnitsResponse": {
        "units": (1, "repeated ktxh.catalog.v1.OrgUnit"),
        "next_page_token": (2, "string"),
        "total_size": (3, "int32"),
    },
    "GetOrgUnitTreeRequest": {
        "root_id": (1, "string"),
        "as_of": (2, "string"),
        "max_depth": (3, "int32"),
    },
    "GetOrgUnitTreeResponse": {"roots": (1, "repeated ktxh.catalog.v1.OrgUnitNode")},
}


def test_catalog_org_unit_api_has_the_agreed_shape() -> None:
    from ktxh.catalog.v1 import catalog_pb2, events_pb2

    for name, spec in ORG_UNIT_SPEC.items():
        assert _fields(catalog_pb2.DESCRIPTOR.message_types_by_name[name]) == spec, name

    kinds = {v.name: v.number for v in catalog_pb2.OrgUnitKind.DESCRIPTOR.values}
    assert kinds == {
        "ORG_UNIT_KIND_UNSPECIFIED": 0,
        "ORG_UNIT_KIND_PROVINCE": 1,
        "ORG_UNIT_KIND_DISTRICT": 2,
        "ORG_UNIT_KIND_COMMUNE": 3,
        "ORG_UNIT_KIND_AGENCY": 4,
        "ORG_UNIT_KIND_OFFICE": 5,
        "ORG_UNIT_KIND_FRONT": 6,
    }

    service = catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"]
    expected = {
        "CreateOrgUnit": ("CreateOrgUnitRequest", "OrgUnit"),
        "GetOrgUnit": ("GetOrgUnitRequest", "OrgUnit"),
        "UpdateOrgUnit": ("UpdateOrgUnitRequest", "OrgUnit"),
        "MoveOrgUnit": ("MoveOrgUnitRequest", "OrgUnit"),
        "ListOrgUnits": ("ListOrgUnitsRequest", "ListOrgUnitsResponse"),
        "GetOrgUnitTree": ("GetOrgUnitTreeRequest", "GetOrgUnitTreeResponse"),
    }
    for rpc, (req, resp) in expected.items():
        method = service.methods_by_name[rpc]
        assert (method.input_type.name, method.output_type.name) == (req, resp), rpc

    unit = "ktxh.catalog.v1.OrgUnit"
    events = events_pb2.DESCRIPTOR.message_types_by_name
    assert _fields(events["OrgUnitCreated"]) == {"unit": (1, unit)}
    assert _fields(events["OrgUnitUpdated"]) == {"unit": (1, unit), "before": (2, unit)}
    assert _fields(events["OrgUnitMoved"]) == {"unit": (1, unit), "old_parent_id": (2, "string")}


def test_reporting_org_unit_stats_has_the_agreed_shape() -> None:
    from ktxh.reporting.v1 import reporting_pb2

    method = reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"].methods_by_name[
        "GetOrgUnitStats"
    ]
    assert method.input_type.name == "GetOrgUnitStatsRequest"
    assert method.output_type.name == "OrgUnitStats"
    assert _fields(method.input_type) == {"province_code": (1, "string")}
    assert _fields(method.output_type) == {
        "province_code": (1, "string"),
        "unit_count": (2, "int64"),
        "events_applied": (3, "int64"),
        "count_by_kind": (4, "map<string,int64>"),
    }


def test_envelope_has_the_agreed_shape() -> None:
    from ktxh.common.v1 import envelope_pb2

    assert _fields(envelope_pb2.EventEnvelope.DESCRIPTOR) == {
        "event_id": (1, "string"),
        "type": (2, "string"),
        "occurred_at": (3, TS),
        "province_code": (4, "string"),
        "actor": (5, "string"),
        "aggregate_type": (6, "string"),
        "aggregate_id": (7, "string"),
        "aggregate_version": (8, "int64"),
        "trace_parent": (9, "string"),
        "trace_state": (10, "string"),
        "payload": (11, "google.protobuf.Any"),
    }
