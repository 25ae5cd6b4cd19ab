"""Policy: what every rendered workload must have, for the defaults and every province.

Fails when any container lacks resources, probes (long-running containers), runAsNonRoot or
a read-only root filesystem, or when a Deployment lacks its PodDisruptionBudget or its
NetworkPolicy (plus the release-wide deny-all).
"""

from __future__ import annotations

from pathlib import Path

from ktxh_platform.settings import SERVICES

from .conftest import Manifest, by_kind, pod_specs, render, selector_matches

STANDARD_LABELS = {
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
    "helm.sh/chart",
}
SELECTOR_LABELS = {
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
}


def _effective(pod: dict, container: dict, key: str):
    """A security setting from the container, else from the pod."""
    value = (container.get("securityContext") or {}).get(key)
    if value is None:
        value = (pod.get("securityContext") or {}).get(key)
    return value


def container_problems(manifests: list[Manifest]) -> list[str]:
    problems = []
    for owner, pod in pod_specs(manifests):
        where = f"{owner.kind}/{owner.name}"
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{where}: automountServiceAccountToken must be false")
        for container in pod.get("initContainers", []) + pod["containers"]:
            c = f"{where}/{container['name']}"
            resources = container.get("resources") or {}
            requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
            if not {"cpu", "memory"} <= set(requests):
                problems.append(f"{c}: resources.requests needs cpu and memory")
            if "memory" not in limits:
                problems.append(f"{c}: resources.limits needs memory")
            if _effective(pod, container, "runAsNonRoot") is not True:
                problems.append(f"{c}: runAsNonRoot is not true")
            if _effective(pod, container, "runAsUser") in (0, None):
                problems.append(f"{c}: runAsUser must be a non-zero uid")
            sc = container.get("securityContext") or {}
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{c}: readOnlyRootFilesystem is not true")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{c}: allowPrivilegeEscalation is not false")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{c}: capabilities.drop lacks ALL")
            if owner.kind != "Job":
                for probe in ("livenessProbe", "readinessProbe"):
                    if probe not in container:
                        problems.append(f"{c}: no {probe}")
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            if "/tmp" not in mounts:
                problems.append(f"{c}: no writable /tmp (emptyDir) for the read-only root")
            image = container["image"]
            if (
                image.endswith(":latest")
                or ":" not in image.rsplit("/", 1)[-1]
                and "@" not in image
            ):
                problems.append(f"{c}: image {image} is not pinned")
    return problems


def deployment_problems(manifests: list[Manifest]) -> list[str]:
    pdbs = by_kind(manifests, "PodDisruptionBudget")
    policies = [m for m in by_kind(manifests, "NetworkPolicy") if not m.is_hook]
    deny_all = [
        p
        for p in policies
        if not p.doc["spec"].get("ingress")
        and not p.doc["spec"].get("egress")
        and set(p.doc["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    ]
    problems = [] if deny_all else ["no deny-all NetworkPolicy"]
    for d in by_kind(manifests, "Deployment"):
        labels = d.doc["spec"]["template"]["metadata"]["labels"]
        if not any(selector_matches(p.doc["spec"]["selector"], labels) for p in pdbs):
            problems.append(f"Deployment/{d.name}: no PodDisruptionBudget")
        if not any(selector_matches(p.doc["spec"]["podSelector"], labels) for p in deny_all):
            problems.append(f"Deployment/{d.name}: not covered by the deny-all policy")
        allow = [
            p
            for p in policies
            if p not in deny_all and selector_matches(p.doc["spec"]["podSelector"], labels)
        ]
        if not allow:
            problems.append(f"Deployment/{d.name}: no allow-list NetworkPolicy")
    return problems


def test_every_container_is_hardened_and_sized(manifests: list[Manifest]) -> None:
    problems = container_problems(manifests)
    assert not problems, "\n".join(problems)


def test_every_deployment_has_pdb_and_networkpolicy(manifests: list[Manifest]) -> None:
    problems = deployment_problems(manifests)
    assert not problems, "\n".join(problems)


def test_policy_catches_violations() -> None:
    """The checks above fail on a release that breaks the rules."""
    manifests = render(
        {
            "components": {
                "catalog": {"containerSecurityContext": {"readOnlyRootFilesystem": False}},
                "assignment": {"livenessProbe": {"enabled": False}},
                "submission": {"pdb": {"create": False}},
                "document": {"networkPolicy": {"enabled": False}},
                "reporting": {
                    "containerSecurityContext": {"runAsNonRoot": False},
                    "podSecurityContext": {"runAsNonRoot": False},
                },
                "oversight": {"resources": {"limits": {"memory": None}}},
            }
        }
    )
    problems = "\n".join(container_problems(manifests) + deployment_problems(manifests))
    for expected in (
        "Deployment/ktxh-catalog/catalog: readOnlyRootFilesystem is not true",
        "Deployment/ktxh-assignment/assignment: no livenessProbe",
        "Deployment/ktxh-submission: no PodDisruptionBudget",
        "Deployment/ktxh-document: no allow-list NetworkPolicy",
        "Deployment/ktxh-reporting/reporting: runAsNonRoot is not true",
        "Job/ktxh-reporting-migrate/migrate: runAsNonRoot is not true",
        "Deployment/ktxh-oversight/oversight: resources.limits needs memory",
    ):
        assert expected in problems


def test_hook_jobs_are_covered_by_network_policies(manifests: list[Manifest]) -> None:
    policies = by_kind(manifests, "NetworkPolicy")
    for job in by_kind(manifests, "Job"):
        labels = job.doc["spec"]["template"]["metadata"]["labels"]
        allow = [
            p
            for p in policies
            if p.is_hook and selector_matches(p.doc["spec"]["podSelector"], labels)
        ]
        assert allow, f"Job/{job.name} has no egress allow-list (deny-all would block it)"


def test_labels_selectors_and_config_checksums(manifests: list[Manifest]) -> None:
    problems = []
    for m in manifests:
        missing = {"app.kubernetes.io/name", "app.kubernetes.io/instance"} - set(m.labels)
        if missing:
            problems.append(f"{m.kind}/{m.name}: missing labels {sorted(missing)}")
    for d in by_kind(manifests, "Deployment"):
        if not STANDARD_LABELS <= set(d.labels):
            problems.append(
                f"Deployment/{d.name}: missing {sorted(STANDARD_LABELS - set(d.labels))}"
            )
        selector = d.doc["spec"]["selector"]["matchLabels"]
        if set(selector) != SELECTOR_LABELS:
            problems.append(f"Deployment/{d.name}: selector uses {sorted(selector)}")
        annotations = d.doc["spec"]["template"]["metadata"].get("annotations") or {}
        if "checksum/config" not in annotations:
            problems.append(f"Deployment/{d.name}: no checksum/config annotation")
    for s in by_kind(manifests, "Service"):
        if set(s.doc["spec"]["selector"]) != SELECTOR_LABELS:
            problems.append(f"Service/{s.name}: selector uses {sorted(s.doc['spec']['selector'])}")
    assert not problems, "\n".join(problems)


def test_probes_match_the_component(manifests: list[Manifest]) -> None:
    """Native gRPC probes (grpc.health.v1) for services, HTTP for the gateway."""
    for d in by_kind(manifests, "Deployment"):
        component = d.labels["app.kubernetes.io/component"]
        container = d.doc["spec"]["template"]["spec"]["containers"][0]
        if component == "gateway":
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        elif component != "otel-collector":
            grpc_port = next(p["containerPort"] for p in container["ports"] if p["name"] == "grpc")
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                assert container[probe]["grpc"]["port"] == grpc_port, (d.name, probe)


def test_migrations_run_as_pre_install_and_pre_upgrade_hooks(manifests: list[Manifest]) -> None:
    jobs = {
        j.labels.get("ktxh/service"): j
        for j in by_kind(manifests, "Job")
        if j.labels.get("app.kubernetes.io/component") == "migration"
    }
    assert set(jobs) == set(SERVICES)
    for service, job in jobs.items():
        assert job.annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        container = job.doc["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == ["migrate"]
        assert (
            container["image"].split("/")[-1].startswith(f"{service}:") or "@" in container["image"]
        )
        env = {e["name"] for e in container["env"]}
        prefix = f"KTXH_{service.upper()}_"
        assert {prefix + "DATABASE_URL", prefix + "DATABASE_SCHEMA"} <= env
    # Everything a hook Job needs exists before it: hooks with a lower weight.
    weights = {
        (m.kind, m.name): int(m.annotations.get("helm.sh/hook-weight", "0"))
        for m in manifests
        if m.is_hook
    }
    for job in by_kind(manifests, "Job"):
        spec = job.doc["spec"]["template"]["spec"]
        needs = [("ServiceAccount", spec["serviceAccountName"])]
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                needs.append(("ConfigMap", volume["configMap"]["name"]))
        for container in spec["containers"]:
            for env in container.get("env", []):
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ("Secret", ref["name"]) in weights:
                    needs.append(("Secret", ref["name"]))
        for need in needs:
            assert need in weights, f"Job/{job.name} needs {need}, which is not a hook"
            assert weights[need] < weights[("Job", job.name)], f"{need} runs after Job/{job.name}"


def test_services_get_grpc_only_from_the_gateway_and_declared_callers(manifests: list[Manifest]) -> None:
    """Only the gateway, and a service that declares the callee in `calls` (with the caller's
    token: assignment → catalog, document; submission → catalog, assignment, document;
    oversight → assignment, reporting, document), open gRPC connections to services;
    everything else between services goes through Kafka."""
    import yaml

    values = yaml.safe_load((Path(__file__).parents[2] / "charts/ktxh/values.yaml").read_text())
    calls = {(name, peer) for name, c in values["components"].items() for peer in (c or {}).get("calls", [])}
    assert calls == {("assignment", "catalog"), ("assignment", "document"),
                     ("submission", "catalog"), ("submission", "assignment"), ("submission", "document"),
                     ("oversight", "assignment"), ("oversight", "reporting"), ("oversight", "document"),
                     ("evaluation", "catalog"), ("evaluation", "assignment"), ("evaluation", "reporting")}
    for p in by_kind(manifests, "NetworkPolicy"):
        component = p.labels.get("app.kubernetes.io/component")
        if component in (None, "gateway", "otel-collector", "jobs", ""):
            continue
        for rule in p.doc["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                selector = (peer.get("podSelector") or {}).get("matchLabels") or {}
                if "app.kubernetes.io/component" in selector:
                    caller = selector["app.kubernetes.io/component"]
                    assert caller == "gateway" or (caller, component) in calls, p.name
        for rule in p.doc["spec"].get("egress", []):
            for peer in rule.get("to", []):
                selector = (peer.get("podSelector") or {}).get("matchLabels") or {}
                callee = selector.get("app.kubernetes.io/component")
                assert callee in (None, "otel-collector") or (component, callee) in calls, (
                    f"{p.name} may reach {selector}"
                )
