"""No rpc declared in a proto answers UNIMPLEMENTED: the servicer each service registers
overrides every method of its proto service (the generated base class answers UNIMPLEMENTED).

An rpc that is not worth serving is removed from the proto (its request message kept,
deprecated), not left as a stub. Run with ``uv run pytest tests/contracts``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

# proto service -> (generated module, the module that registers the servicer, servicer class)
SERVED = {
    "ktxh.assignment.v1.AssignmentService": (
        "ktxh.assignment.v1.assignment_pb2", "ktxh_assignment.entrypoints.grpc_api", "AssignmentServicer"),
    "ktxh.catalog.v1.CatalogService": (
        "ktxh.catalog.v1.catalog_pb2", "ktxh_catalog.entrypoints.servicer", "CatalogServicer"),
    "ktxh.document.v1.DocumentService": (
        "ktxh.document.v1.document_pb2", "ktxh_document.entrypoints.grpc_api", "DocumentServicer"),
    "ktxh.evaluation.v1.EvaluationService": (
        "ktxh.evaluation.v1.evaluation_pb2", "ktxh_evaluation.entrypoints.grpc_api", "EvaluationServicer"),
    "ktxh.notification.v1.NotificationService": (
        "ktxh.notification.v1.notification_pb2", "ktxh_notification.entrypoints.grpc_api",
        "NotificationServicer"),
    "ktxh.oversight.v1.OversightService": (
        "ktxh.oversight.v1.oversight_pb2", "ktxh_oversight.entrypoints.grpc_api", "OversightServicer"),
    "ktxh.reporting.v1.ReportingService": (
        "ktxh.reporting.v1.reporting_pb2", "ktxh_reporting.entrypoints.grpc_api", "ReportingServicer"),
    "ktxh.submission.v1.SubmissionService": (
        "ktxh.submission.v1.submission_pb2", "ktxh_submission.entrypoints.grpc_api", "SubmissionServicer"),
}


def test_every_proto_service_has_a_registered_servicer() -> None:
    """A new proto service must be added to SERVED, so its servicer is checked too."""
    proto_root = Path(__file__).resolve().parents[2] / "proto"
    declared = set()
    for proto in proto_root.rglob("*.proto"):
        package = next((line.split()[1].rstrip(";") for line in proto.read_text().splitlines()
                        if line.startswith("package ")), "")
        declared |= {f"{package}.{line.split()[1]}" for line in proto.read_text().splitlines()
                     if line.startswith("service ")}
    assert declared == set(SERVED)


@pytest.mark.parametrize("service", sorted(SERVED))
def test_registered_servicer_overrides_every_rpc(service: str) -> None:
    pb2_name, module_name, class_name = SERVED[service]
    pb2 = importlib.import_module(pb2_name)
    grpc_module = importlib.import_module(pb2_name + "_grpc")
    servicer = getattr(importlib.import_module(module_name), class_name)
    short = service.rsplit(".", 1)[1]
    base = getattr(grpc_module, f"{short}Servicer")
    assert issubclass(servicer, base)
    rpcs = [m.name for m in pb2.DESCRIPTOR.services_by_name[short].methods]
    stubs = [name for name in rpcs if getattr(servicer, name) is getattr(base, name)]
    assert stubs == [], f"{service}: rpcs answering UNIMPLEMENTED: {stubs}"
