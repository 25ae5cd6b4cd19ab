"""Chart checks: render charts/ktxh with Helm's own engine (PyPI helm-python-sdk, Helm's Go
SDK through ctypes), offline, and hand the manifests to the tests.

Renders are cached per values set, so the whole folder renders each case once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "ktxh"
INFRA = ROOT / "infra"

RELEASE_NAMESPACE = "ktxh-ci"

# Values sets every check runs against: the chart defaults and each province file.
PROVINCE_FILES = sorted(p.name for p in CHART.glob("values-*.yaml"))
CASES = ["defaults", *PROVINCE_FILES]

# Kubernetes versions the manifests are validated against (kubernetes-validate ships their
# schemas): the chart's minimum (Chart.yaml kubeVersion >=1.27: native gRPC probes are GA
# there) and a current one.
KUBE_VERSIONS = ["1.27", "1.33"]

# Kinds defined by CRDs have no schema in kubernetes-validate. They are skipped by this
# explicit list (anything else without a schema fails); their metadata and label selectors
# are still validated against the Kubernetes definitions (test_render.py).
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}


@dataclass(frozen=True)
class Manifest:
    template: str
    doc: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.doc["kind"]

    @property
    def name(self) -> str:
        return self.doc["metadata"]["name"]

    @property
    def labels(self) -> dict[str, str]:
        return self.doc["metadata"].get("labels") or {}

    @property
    def annotations(self) -> dict[str, str]:
        return self.doc["metadata"].get("annotations") or {}

    @property
    def is_hook(self) -> bool:
        return "helm.sh/hook" in self.annotations


def load_values(case: str) -> dict[str, Any] | None:
    if case == "defaults":
        return None
    return yaml.safe_load((CHART / case).read_text(encoding="utf-8"))


def release_name(case: str) -> str:
    if case == "defaults":
        return "ktxh"
    return "ktxh-" + case.removeprefix("values-").removesuffix(".yaml")


def render_raw(values: dict[str, Any] | None, name: str = "ktxh") -> dict[str, str]:
    import helm_python as helm

    with helm.Chart.load(CHART) as chart:
        return chart.render(values=values, name=name, namespace=RELEASE_NAMESPACE, is_install=True)


def parse(rendered: dict[str, str]) -> list[Manifest]:
    manifests: list[Manifest] = []
    for template, text in sorted(rendered.items()):
        if template.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                manifests.append(Manifest(template, doc))
    return manifests


@functools.cache
def _render_case(case: str) -> tuple[Manifest, ...]:
    return tuple(parse(render_raw(load_values(case), release_name(case))))


def render(values: dict[str, Any] | None = None, name: str = "ktxh") -> list[Manifest]:
    return parse(render_raw(values, name))


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def manifests(case: str) -> list[Manifest]:
    return list(_render_case(case))


def by_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m.kind == kind]


def pod_specs(manifests: list[Manifest]) -> list[tuple[Manifest, dict[str, Any]]]:
    """Every pod template (Deployments, StatefulSets, DaemonSets, Jobs)."""
    out = []
    for m in manifests:
        if m.kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            out.append((m, m.doc["spec"]["template"]["spec"]))
    return out


def selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        present = expr["key"] in labels
        op = expr["operator"]
        if op == "In" and not (present and labels[expr["key"]] in expr["values"]):
            return False
        if op == "NotIn" and present and labels[expr["key"]] in expr["values"]:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True
