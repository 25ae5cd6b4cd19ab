"""values.yaml, values.schema.json and what the values do to the rendered release."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
import yaml

from .conftest import CHART, PROVINCE_FILES, Manifest, _render_case, by_kind, render, render_raw

SCHEMA = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
VALUES_TEXT = (CHART / "values.yaml").read_text(encoding="utf-8")
VALUES = yaml.safe_load(VALUES_TEXT)


# ---------------------------------------------------------------- schema


def _object_schemas(node: Any, path: str = "#"):
    if isinstance(node, dict):
        if node.get("type") == "object" or (
            isinstance(node.get("type"), list) and "object" in node["type"]
        ):
            yield path, node
        for key, value in node.items():
            yield from _object_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _object_schemas(value, f"{path}/{i}")


def test_schema_objects_reject_unknown_keys() -> None:
    """Every object with named properties has additionalProperties: false; the only open
    objects are maps of strings and free-form Kubernetes/collector structures, each of which
    says so explicitly."""
    for path, schema in _object_schemas(SCHEMA):
        assert "additionalProperties" in schema, f"{path}: additionalProperties not explicit"
        if "properties" in schema:
            assert schema["additionalProperties"] is False, path
        elif schema["additionalProperties"] is True:
            assert schema.get("description"), f"{path}: free-form object must say why"


@pytest.mark.parametrize(
    "values, where",
    [
        ({"replicaCount": 3}, "''"),
        ({"components": {"catalgo": {"replicaCount": 1}}}, "/components"),
        ({"components": {"catalog": {"replicas": 1}}}, "/components/catalog"),
        (
            {"componentDefaults": {"livenessProbe": {"enable": True}}},
            "/componentDefaults/livenessProbe",
        ),
        ({"kafka": {"external": {"brokers": "k:9092"}}}, "/kafka/external"),
        (
            {
                "kafka": {
                    "provisioning": {"topics": [{"name": "ktxh.catalog.x.v1", "retention": 1}]}
                }
            },
            "topics/0",
        ),
        (
            {"minio": {"provisioning": {"retention": {"mode": "FOREVER"}}}},
            "/minio/provisioning/retention/mode",
        ),
        ({"province": {"code": "031"}}, "/province/code"),
        ({"ingress": {"tls": {"enabled": True}}}, "/ingress/tls"),
    ],
)
def test_schema_rejects_unknown_keys_and_bad_values(values: dict[str, Any], where: str) -> None:
    import helm_python as helm

    with helm.Chart.load(CHART) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.validate_schema(values)
        assert where in str(err.value)
        with pytest.raises(helm.HelmValuesError):  # `helm install` refuses them too
            chart.render(values=values, name="ktxh")


def test_defaults_and_province_files_meet_the_schema() -> None:
    import helm_python as helm

    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(None)
        for name in PROVINCE_FILES:
            chart.validate_schema(yaml.safe_load((CHART / name).read_text(encoding="utf-8")))


# ---------------------------------------------------------------- documentation


def _paths(node: Any, prefix: str = "") -> list[str]:
    out = []
    if isinstance(node, dict) and node:
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            out.append(path)
            out.extend(_paths(value, path))
    return out


def test_every_value_is_documented_with_param() -> None:
    """Bitnami readme-generator convention: `## @param <path> <description>` for every value;
    documenting a map covers its children (free-form maps such as resources or configs)."""
    params = {}
    for line in VALUES_TEXT.splitlines():
        match = re.match(r"\s*## @param (\S+) (\S.*)$", line)
        if match:
            assert match.group(1) not in params, f"documented twice: {match.group(1)}"
            params[match.group(1)] = match.group(2)
    paths = _paths(VALUES)
    undocumented = [
        p
        for p in paths
        if p not in params
        and not any(p.startswith(d + ".") for d in params)
        and not any(d.startswith(p + ".") for d in params)  # a parent whose children are documented
    ]
    assert not undocumented, f"values without ## @param: {undocumented}"
    stale = [p for p in params if p not in paths]
    assert not stale, f"## @param for values that do not exist: {stale}"


def test_province_files_only_use_documented_values() -> None:
    params = {m.group(1) for m in re.finditer(r"## @param (\S+)", VALUES_TEXT)}
    schema_components = set(SCHEMA["properties"]["components"]["properties"])
    for name in PROVINCE_FILES:
        values = yaml.safe_load((CHART / name).read_text(encoding="utf-8"))
        for path in _paths(values):
            # components.<name>.<key> is documented once under componentDefaults.<key>
            parts = path.split(".")
            if parts[0] == "components" and len(parts) > 2 and parts[1] in schema_components:
                path = ".".join(["componentDefaults", *parts[2:]])
            documented = any(
                path == p or path.startswith(p + ".") or p.startswith(path + ".") for p in params
            )
            assert documented, f"{name}: {path} is not a documented value"


# ---------------------------------------------------------------- behaviour


def _component_names(manifests: list[Manifest], kind: str) -> set[str]:
    return {m.labels.get("app.kubernetes.io/component") for m in by_kind(manifests, kind)}


def test_disabling_a_component_removes_it_everywhere() -> None:
    """`enabled: false` wins over componentDefaults (sprig's merge would keep true)."""
    manifests = render({"components": {"oversight": {"enabled": False}}})
    for kind in ("Deployment", "Service", "ConfigMap", "NetworkPolicy", "PodDisruptionBudget"):
        assert "oversight" not in _component_names(manifests, kind), kind
    gateway_cm = next(m for m in by_kind(manifests, "ConfigMap") if m.name == "ktxh-gateway")
    assert "KTXH_GATEWAY_OVERSIGHT_ADDR" not in gateway_cm.doc["data"]
    assert not [j for j in by_kind(manifests, "Job") if j.labels.get("ktxh/service") == "oversight"]


def test_hpa_replaces_replicas() -> None:
    manifests = render({"components": {"submission": {"autoscaling": {"hpa": {"enabled": True}}}}})
    deployment = next(m for m in by_kind(manifests, "Deployment") if m.name == "ktxh-submission")
    assert "replicas" not in deployment.doc["spec"]
    (hpa,) = by_kind(manifests, "HorizontalPodAutoscaler")
    assert hpa.doc["spec"]["scaleTargetRef"]["name"] == "ktxh-submission"


def test_chart_managed_credentials_for_trials() -> None:
    values = {
        "postgresql": {"auth": {"existingSecret": "", "password": "p@ss/w:rd"}},
        "minio": {"auth": {"existingSecret": "", "accessKey": "ak", "secretKey": "sk"}},
        "keycloak": {
            "realmImport": {
                "existingSecret": "",
                "adminUsername": "admin",
                "adminPassword": "pw",
                "integrationClientSecret": "cs",
            }
        },
    }
    manifests = render(values)
    (secret,) = by_kind(manifests, "Secret")
    assert secret.annotations["helm.sh/hook"] == "pre-install,pre-upgrade,pre-rollback"
    data = {k: base64.b64decode(v).decode() for k, v in secret.doc["data"].items()}
    assert data["catalog-database-url"] == (
        "postgresql+asyncpg://ktxh:p%40ss%2Fw%3Ard@postgresql:5432/ktxh?ssl=require"
    )
    assert {"access-key", "secret-key", "admin-username", "integration-client-secret"} <= set(data)
    assert "gateway-database-url" not in data
    for d in by_kind(manifests, "Deployment"):
        annotations = d.doc["spec"]["template"]["metadata"]["annotations"]
        if d.labels["app.kubernetes.io/component"] != "otel-collector":
            assert "checksum/secret" in annotations


def test_missing_credentials_fail_with_a_clear_message() -> None:
    import helm_python as helm

    with pytest.raises(
        helm.HelmRenderError,
        match=r"postgresql.auth.password \(or postgresql.auth.existingSecret\)",
    ):
        render_raw({"postgresql": {"auth": {"existingSecret": ""}}})


def test_configuration_follows_the_conventions(manifests: list[Manifest]) -> None:
    configs = {
        m.labels["app.kubernetes.io/component"]: m.doc["data"]
        for m in by_kind(manifests, "ConfigMap")
        if m.labels.get("app.kubernetes.io/component") not in ("otel-collector", "provisioning")
    }
    ports = {
        "catalog": 50051,
        "assignment": 50052,
        "submission": 50053,
        "evaluation": 50054,
        "oversight": 50055,
        "document": 50056,
        "reporting": 50057,
    }
    for service, port in ports.items():
        env = configs[service]
        p = f"KTXH_{service.upper()}_"
        assert env[p + "GRPC_PORT"] == str(port)
        assert env[p + "METRICS_PORT"] == str(port - 50051 + 9101)
        assert env[p + "GRPC_HOST"] == "0.0.0.0"
        assert env[p + "BUS"] == "kafka"
        assert env[p + "DATABASE_SCHEMA"] == service
        assert env[p + "MIGRATE_ON_START"] == "false"  # the hook Job migrates
        assert configs["gateway"][f"KTXH_GATEWAY_{service.upper()}_ADDR"].endswith(
            f"-{service}:{port}"
        )
        assert (p + "OBJECT_STORE" in env) == (service == "document")
    assert configs["gateway"]["KTXH_GATEWAY_OIDC_ISSUER"].endswith(
        "/realms/" + configs["gateway"]["KTXH_GATEWAY_REALM"]
    )


def _settings(case: str) -> dict[str, str]:
    manifests = list(_render_case(case))
    catalog = next(m for m in by_kind(manifests, "ConfigMap") if m.name.endswith("-catalog"))
    gateway = next(m for m in by_kind(manifests, "ConfigMap") if m.name.endswith("-gateway"))
    document = next(m for m in by_kind(manifests, "ConfigMap") if m.name.endswith("-document"))
    ingress = by_kind(manifests, "Ingress")[0]
    topics_job = next(m for m in by_kind(manifests, "Job") if m.name.endswith("-kafka-topics"))
    realm_job = next(m for m in by_kind(manifests, "Job") if m.name.endswith("-keycloak-realm"))
    env = lambda job: {
        e["name"]: e.get("value")
        for e in job.doc["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    secrets = {
        ref["name"]
        for _, pod in [
            (m, m.doc["spec"]["template"]["spec"]) for m in by_kind(manifests, "Deployment")
        ]
        for c in pod["containers"]
        for e in c.get("env", [])
        if (ref := (e.get("valueFrom") or {}).get("secretKeyRef"))
    }
    return {
        "province": catalog.doc["data"]["KTXH_CATALOG_PROVINCE_CODE"],
        "prefix": catalog.doc["data"]["KTXH_CATALOG_TOPIC_PREFIX"],
        "topics job prefix": env(topics_job)["KTXH_TOPIC_PREFIX"],
        "bucket": document.doc["data"]["KTXH_DOCUMENT_S3_BUCKET"],
        "realm": gateway.doc["data"]["KTXH_GATEWAY_REALM"],
        "realm job realm": env(realm_job)["KTXH_REALM"],
        "host": ingress.doc["spec"]["rules"][0]["host"],
        "issuer": gateway.doc["data"]["KTXH_GATEWAY_OIDC_ISSUER"],
        "secrets": ",".join(sorted(secrets)),
    }


def test_provinces_side_by_side() -> None:
    """Two provinces on one cluster: nothing shared that must be per province."""
    hp = _settings("values-haiphong.yaml")
    lc = _settings("values-laocai.yaml")
    assert hp["province"] == "31" and lc["province"] == "15"
    assert hp["prefix"] == hp["topics job prefix"] == "hp."
    assert lc["prefix"] == lc["topics job prefix"] == "lc."
    assert hp["realm"] == hp["realm job realm"] == "ktxh-hp"
    assert lc["realm"] == lc["realm job realm"] == "ktxh-lc"
    for key in ("province", "prefix", "bucket", "realm", "host", "issuer"):
        assert hp[key] != lc[key], key
    hp_values = yaml.safe_load((CHART / "values-haiphong.yaml").read_text(encoding="utf-8"))
    lc_values = yaml.safe_load((CHART / "values-laocai.yaml").read_text(encoding="utf-8"))
    assert (
        hp_values["postgresql"]["external"]["database"]
        != lc_values["postgresql"]["external"]["database"]
    )
