"""Generate the Python code for the KTXH contracts (``proto/``) into ``libs/ktxh-contracts/src``.

Usage (from anywhere inside the repo)::

    uv run python scripts/proto.py          # regenerate, write only what changed
    uv run python scripts/proto.py --check  # regenerate into a temp dir; exit 1 listing stale files

Generated per ``.proto`` file: ``*_pb2.py``, ``*_pb2_grpc.py`` (grpcio-tools) and ``*_pb2.pyi``,
``*_pb2_grpc.pyi`` (mypy-protobuf), plus an ``__init__.py`` in every package folder and a
``py.typed`` marker, so that ``from ktxh.catalog.v1 import catalog_pb2, catalog_pb2_grpc`` works.

The output depends only on the ``.proto`` sources and the pinned tool versions (uv.lock), so it
is deterministic; ``--check`` is what CI and ``tests/contracts`` run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO / "proto"
OUT_ROOT = REPO / "libs" / "ktxh-contracts" / "src"
TOP_PACKAGE = "ktxh"

INIT_TEXT = '"""Generated from proto/ by scripts/proto.py. Do not edit."""\n'
TOP_INIT_TEXT = (
    '"""KTXH contracts: Python code generated from proto/ by scripts/proto.py. Do not edit.\n'
    "\n"
    "Regenerate with ``uv run python scripts/proto.py`` (``make proto``).\n"
    '"""\n'
)
# Files under OUT_ROOT/ktxh that this script owns (anything else there is reported as extra).
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", "_pb2.pyi", "_pb2_grpc.pyi")
OWNED_NAMES = ("__init__.py", "py.typed")


def _plugin(name: str) -> str:
    """Path of a protoc plugin installed next to the running interpreter (mypy-protobuf)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"proto.py: {name} not found; run `uv sync` (mypy-protobuf is a dev dependency)")
    return found


def proto_files() -> list[str]:
    """All .proto files under proto/, relative to it, in a stable order."""
    return sorted(p.relative_to(PROTO_ROOT).as_posix() for p in PROTO_ROOT.rglob("*.proto"))


def generate(out: Path) -> None:
    """Run protoc (grpc_tools) with the python, grpc and mypy plugins into ``out``."""
    import grpc_tools

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    files = proto_files()
    if not files:
        sys.exit("proto.py: no .proto files under proto/")
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        f"--proto_path={PROTO_ROOT}",
        f"--proto_path={well_known}",
        f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
        f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        f"--mypy_out={out}",
        f"--mypy_grpc_out={out}",
        *files,
    ]
    result = subprocess.run(cmd, check=False, cwd=PROTO_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"proto.py: protoc failed with exit code {result.returncode}")
    # Package markers: every folder below ktxh/ becomes a regular package.
    top = out / TOP_PACKAGE
    folders = {top}
    for path in top.rglob("*"):
        if path.is_file():
            folders.update(f for f in path.parents if f.is_relative_to(top))
    for folder in sorted(folders):
        init = folder / "__init__.py"
        init.write_text(TOP_INIT_TEXT if folder == top else INIT_TEXT, encoding="utf-8")
    (top / "py.typed").write_text("", encoding="utf-8")


def _owned(path: Path) -> bool:
    return path.name in OWNED_NAMES or path.name.endswith(GENERATED_SUFFIXES)


def snapshot(root: Path) -> dict[str, bytes]:
    """Generated-looking files under ``root/ktxh`` keyed by path relative to ``root``."""
    top = root / TOP_PACKAGE
    if not top.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(top.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and _owned(p)
    }


def diff(fresh: dict[str, bytes], current: dict[str, bytes]) -> list[str]:
    """Human-readable list of files that differ between fresh output and the tree."""
    problems = []
    for name in sorted(fresh.keys() | current.keys()):
        if name not in current:
            problems.append(f"missing: {name}")
        elif name not in fresh:
            problems.append(f"extra (no .proto source): {name}")
        elif fresh[name] != current[name]:
            problems.append(f"stale: {name}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 and list files that are stale, missing or extra",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ktxh-proto-") as tmp:
        tmp_root = Path(tmp)
        generate(tmp_root)
        fresh = snapshot(tmp_root)
        current = snapshot(OUT_ROOT)
        problems = diff(fresh, current)
        rel_out = OUT_ROOT.relative_to(REPO).as_posix()
        if args.check:
            if problems:
                print(f"Generated code in {rel_out} is out of date with proto/:")
                for line in problems:
                    print(f"  {line}")
                print("Run: uv run python scripts/proto.py")
                return 1
            print(f"{rel_out}: {len(fresh)} generated files up to date")
            return 0
        for name in sorted(current.keys() - fresh.keys()):
            (OUT_ROOT / name).unlink()
        for name, data in fresh.items():
            if current.get(name) != data:
                target = OUT_ROOT / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        # Remove package folders left empty by deleted protos.
        for folder in sorted((OUT_ROOT / TOP_PACKAGE).rglob("*"), reverse=True):
            if folder.is_dir() and not any(p for p in folder.iterdir() if p.name != "__pycache__"):
                shutil.rmtree(folder)
        print(f"{rel_out}: {len(problems)} file(s) written or removed, {len(fresh)} generated")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
