"""Render, lint and validate charts/ktxh for the defaults and every province values file."""

from __future__ import annotations

import functools
import json
from importlib import resources

import jsonschema
import kubernetes_validate
import pytest
from ktxh_platform.settings import SERVICES
from referencing import Registry, Resource

from .conftest import CASES, CHART, CRD_KINDS, KUBE_VERSIONS, Manifest, by_kind, load_values

COMPONENTS = {*SERVICES, "gateway"}


def test_renders_every_component(manifests: list[Manifest]) -> None:
    deployments = {
        m.labels["app.kubernetes.io/component"] for m in by_kind(manifests, "Deployment")
    }
    assert COMPONENTS <= deployments
    for kind in ("Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy"):
        have = {m.labels.get("app.kubernetes.io/component") for m in by_kind(manifests, kind)}
        assert COMPONENTS <= have, f"{kind} missing for {sorted(COMPONENTS - have)}"
    assert len(by_kind(manifests, "Ingress")) == 1


@pytest.mark.parametrize("case", CASES)
def test_lint_strict(case: str) -> None:
    import helm_python as helm

    report = helm.lint(CHART, load_values(case), strict=True, kube_version="v1.33.0")
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert not report["errors"] and not problems, json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
def test_manifests_are_valid_kubernetes(manifests: list[Manifest], kube_version: str) -> None:
    failures = []
    skipped = set()
    for m in manifests:
        if (m.doc["apiVersion"], m.kind) in CRD_KINDS:
            skipped.add(m.kind)
            continue
        try:
            kubernetes_validate.validate(m.doc, kube_version, strict=True)
        except kubernetes_validate.ValidationError as err:
            path = "/".join(str(p) for p in err.path)
            failures.append(f"{m.template} {m.kind}/{m.name} at {path}: {err.message}")
        except kubernetes_validate.SchemaNotFoundError as err:
            failures.append(f"{m.template}: {err.message} (add it to CRD_KINDS only if a CRD)")
    assert not failures, "\n".join(failures)


@functools.cache
def _definition_validator(kube_version: str, filename: str) -> jsonschema.Validator:
    base = resources.files("kubernetes_validate") / "kubernetes-json-schema"
    folder = base / f"v{kube_version}.0-local-strict"
    schema = json.loads((folder / filename).read_text())
    definitions = json.loads((folder / "_definitions.json").read_text())
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
def test_crd_objects_have_valid_metadata_and_selectors(
    manifests: list[Manifest], kube_version: str
) -> None:
    """CRD kinds (ServiceMonitor) cannot be validated whole; their metadata and label
    selector are ordinary Kubernetes types and are validated as such."""
    meta = _definition_validator(kube_version, "objectmeta-meta-v1.json")
    selector = _definition_validator(kube_version, "labelselector-meta-v1.json")
    for m in manifests:
        if (m.doc["apiVersion"], m.kind) not in CRD_KINDS:
            continue
        meta.validate(m.doc["metadata"])
        selector.validate(m.doc["spec"]["selector"])
        assert set(m.doc) == {"apiVersion", "kind", "metadata", "spec"}
        for endpoint in m.doc["spec"]["endpoints"]:
            assert set(endpoint) <= {"port", "path", "interval", "scrapeTimeout"}


def test_strict_validation_catches_a_bad_field(manifests: list[Manifest]) -> None:
    """Guard against a validator that silently accepts everything."""
    deployment = json.loads(json.dumps(by_kind(manifests, "Deployment")[0].doc))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBE_VERSIONS[-1], strict=True)


def test_resource_names_are_unique(manifests: list[Manifest]) -> None:
    seen: set[tuple[str, str]] = set()
    for m in manifests:
        key = (m.kind, m.name)
        assert key not in seen, f"duplicate {key}"
        seen.add(key)
        assert len(m.name) <= 63
