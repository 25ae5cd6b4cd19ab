"""Every image: multi-stage with uv, pinned bases, non-root user, only what it runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ktxh_platform.settings import SERVICES as PLATFORM_SERVICES

from .conftest import CHART, ROOT

SERVICES = list(PLATFORM_SERVICES)
DOCKERFILES = {f"services/{s}/Dockerfile": s for s in SERVICES} | {"gateway/Dockerfile": "gateway"}

# Bases are pinned by an exact version tag (x.y.z) or a digest.
PINNED = re.compile(r"^[\w./-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$")
FLOATING = {"latest", "stable", "slim", "alpine", "bookworm", "3", "3-slim", "3.11", "3.11-slim"}


def _instructions(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)  # join continuation lines
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


@pytest.mark.parametrize("dockerfile", sorted(DOCKERFILES))
def test_dockerfile(dockerfile: str) -> None:
    component = DOCKERFILES[dockerfile]
    instructions = _instructions(ROOT / dockerfile)
    froms = [rest for kw, rest in instructions if kw == "FROM"]
    stages = {f.split()[-1] for f in froms if " AS " in f.upper()}
    assert len(froms) >= 2, "multi-stage build expected"
    for line in froms:
        image = line.split()[0]
        if image in stages:
            continue
        assert PINNED.match(image), f"{image}: not an image reference"
        if "@sha256:" in image:
            continue  # a digest pins whatever the tag says
        name, _, tag = image.rpartition(":")
        assert name and "/" not in tag, f"{image}: no tag (means :latest)"
        assert tag not in FLOATING, f"{image}: floating tag"
        assert re.match(r"^v?\d+\.\d+\.\d+", tag), f"{image}: tag is not an exact version"

    # The last stage is the runtime: non-root, no uv, only the built /app.
    last = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    runtime = instructions[last:]
    users = [rest for kw, rest in runtime if kw == "USER"]
    assert users, "runtime stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), "runtime stage runs as root"
    assert user.isdigit(), "numeric USER so that runAsNonRoot can verify it"
    runtime_text = " ".join(rest for _, rest in runtime)
    assert "uv " not in runtime_text and "/uv" not in runtime_text, (
        "uv must stay in the build stage"
    )
    assert any(kw == "COPY" and "--from=build" in rest for kw, rest in runtime)

    build_text = " ".join(rest for kw, rest in instructions[:last] if kw == "RUN")
    assert "uv sync" in build_text and "--frozen" in build_text and "--no-dev" in build_text
    assert f"--package ktxh-{component}" in build_text

    entrypoint = next(rest for kw, rest in runtime if kw == "ENTRYPOINT")
    assert f'"ktxh-{component}"' in entrypoint


def test_dockerfile_ports_match_the_chart() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    for dockerfile, component in DOCKERFILES.items():
        exposed = {
            int(p)
            for kw, rest in _instructions(ROOT / dockerfile)
            if kw == "EXPOSE"
            for p in rest.split()
        }
        ports = set(values["components"][component]["containerPorts"].values())
        assert exposed == ports, f"{dockerfile}: EXPOSE {exposed} != chart {ports}"


def test_runtime_user_matches_the_chart() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    uid = values["componentDefaults"]["containerSecurityContext"]["runAsUser"]
    for dockerfile in DOCKERFILES:
        users = [rest for kw, rest in _instructions(ROOT / dockerfile) if kw == "USER"]
        assert users[-1].split(":")[0] == str(uid)


def test_dockerignore_keeps_the_context_small() -> None:
    patterns = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for needed in ("**/.venv", "**/tests", "**/__pycache__", "**/node_modules", "**/.data"):
        assert needed in patterns
    for kept in ("libs", "services", "gateway", "uv.lock", "pyproject.toml"):
        assert kept not in patterns
