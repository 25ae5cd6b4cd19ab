"""infra/ is the source of the files the chart ships under files/, of the topic list in
values.yaml and of the production realm template; these checks fail when they drift."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
import yaml
from ktxh_platform.auth.principal import ALL_ROLES

from .conftest import CHART, INFRA

COPIES = {
    "kafka/create_topics.py": "kafka/create_topics.py",
    "kafka/topics.yaml": "kafka/topics.yaml",
    "minio/create_bucket.py": "minio/create_bucket.py",
    "keycloak/import_realm.py": "keycloak/import_realm.py",
    "keycloak/realm-template.json": "keycloak/realm-template.json",
    "otel/collector.yaml": "otel/collector.yaml",
}

# docs/conventions.md: <prefix>ktxh.<service>.<aggregate>.v1
AGGREGATES = {
    "catalog": [
        "org_unit",
        "indicator",
        "indicator_set",
        "key_task",
        "thematic_plan",
        "criteria_set",
        "period_target",
        "report_template",
        "calendar",
    ],
    "assignment": ["decision", "assignment"],
    "submission": ["report"],
    "evaluation": ["evaluation"],
    "oversight": ["comment", "oversight_report"],
    "document": ["document"],
    "reporting": ["report"],
}
ROLES = set(ALL_ROLES)


@pytest.mark.parametrize("infra_path, chart_path", sorted(COPIES.items()))
def test_chart_files_link_to_infra(infra_path: str, chart_path: str) -> None:
    shipped = CHART / "files" / chart_path
    assert shipped.is_symlink(), f"charts/ktxh/files/{chart_path} must link to infra/{infra_path}"
    assert shipped.resolve() == (INFRA / infra_path).resolve()


def test_topics_cover_every_aggregate_and_match_values() -> None:
    infra_topics = yaml.safe_load((INFRA / "kafka" / "topics.yaml").read_text(encoding="utf-8"))
    expected = {f"ktxh.{svc}.{agg}.v1" for svc, aggs in AGGREGATES.items() for agg in aggs}
    assert {t["name"] for t in infra_topics["topics"]} == expected
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    provisioning = values["kafka"]["provisioning"]
    assert provisioning["topics"] == infra_topics["topics"], (
        "values.yaml topics != infra/kafka/topics.yaml"
    )
    assert provisioning["defaults"] == infra_topics["defaults"]
    assert provisioning["dlq"]["config"] == infra_topics["dlq"]["config"]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_realm_template_is_generated_from_the_dev_realm() -> None:
    dev = INFRA / "keycloak" / "realm-ktxh.json"
    maker = _load(INFRA / "keycloak" / "make_realm_template.py", "make_realm_template")
    expected = maker.render(json.loads(dev.read_text(encoding="utf-8")))
    actual = (INFRA / "keycloak" / "realm-template.json").read_text(encoding="utf-8")
    assert actual == expected, "run: uv run python infra/keycloak/make_realm_template.py"


def test_realm_template_is_fit_for_production() -> None:
    text = (INFRA / "keycloak" / "realm-template.json").read_text(encoding="utf-8")
    realm = json.loads(text)
    assert {r["name"] for r in realm["roles"]["realm"]} >= ROLES
    assert '"id"' not in text, "fixed ids clash when several province realms share a Keycloak"
    assert all(u.get("serviceAccountClientId") for u in realm["users"]), "demo users left"
    assert not any(u.get("credentials") for u in realm["users"]), "passwords in the template"
    clients = {c["clientId"]: c for c in realm["clients"]}
    web = clients["ktxh-web"]
    assert web["publicClient"] and web["attributes"]["pkce.code.challenge.method"] == "S256"
    assert web["redirectUris"] == ["${KTXH_WEB_URL}/*"]
    integration = clients["ktxh-integration"]
    assert integration["serviceAccountsEnabled"] and not integration["publicClient"]
    assert integration["secret"] == "${KTXH_INTEGRATION_CLIENT_SECRET}"
    for client in (web, integration):
        mappers = {m["protocolMapper"]: m for m in client["protocolMappers"]}
        assert mappers["oidc-audience-mapper"]["config"]["included.custom.audience"] == "ktxh-api"
        claims = {m["config"].get("claim.name") for m in client["protocolMappers"]}
        assert {"org_unit", "province", "realm_access.roles"} <= claims
    placeholders = set(re.findall(r"\$\{(KTXH_[A-Z_]+)", text))
    assert placeholders == {
        "KTXH_REALM",
        "KTXH_PROVINCE_CODE",
        "KTXH_PROVINCE_NAME",
        "KTXH_WEB_URL",
        "KTXH_INTEGRATION_CLIENT_SECRET",
    }


def test_realm_job_sets_every_placeholder() -> None:
    text = (INFRA / "keycloak" / "realm-template.json").read_text(encoding="utf-8")
    placeholders = set(re.findall(r"\$\{(KTXH_[A-Z_]+)", text))
    job = (CHART / "templates" / "jobs" / "provisioning.yaml").read_text(encoding="utf-8")
    for name in placeholders:
        assert f"name: {name}" in job or f'"{name}"' in job, name


def test_collector_config_is_complete() -> None:
    config = yaml.safe_load((INFRA / "otel" / "collector.yaml").read_text(encoding="utf-8"))
    for signal, pipeline in config["service"]["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            for name in pipeline[kind]:
                assert name in config[kind], f"{signal}: {kind[:-1]} {name} not defined"
    assert config["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"].endswith(":4317")
    assert "health_check" in config["extensions"]
