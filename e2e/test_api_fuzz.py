"""No input breaks the API: schemathesis over every operation of the all-in-one gateway's
OpenAPI document, signed in as the province administrator and as a commune officer.

Checks: no server error (5xx), every status documented, responses match their schema and
content type, and no request that violates the schema is accepted (control characters,
out-of-range integers, malformed dates, unknown fields...). The run is bounded (a fixed seed
and `MAX_EXAMPLES` per operation) and prints how many cases it generated.

Both users get every operation and every check. The coverage phase (boundaries and negative
mutations of every parameter: most of the cases) runs once, as the administrator, who is
granted nearly everything: it tries the request validation, which is the same for every caller.
The commune officer gets the examples and the fuzzing phases (positive and negative cases of
every operation): what differs for them is the scope, filtered in SQL, reached by those cases.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

MAX_EXAMPLES = 4
SEED = 2081
# The stateful phase (chains of calls) adds minutes and found nothing in earlier full runs;
# examples, coverage (boundaries and negative mutations of every parameter) and fuzzing run.
# The coverage phase checks request validation, the same for every caller: once (see above).
PHASES = {"admin": "examples,coverage,fuzzing", "nhap_lieu": "examples,fuzzing"}
# the least a run generates per operation: the full sweep ≈ 100 (thousands of cases in all),
# examples and fuzzing a few
MIN_CASES_PER_OPERATION = {"admin": 10, "nhap_lieu": 1}
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
])


@pytest.fixture(scope="module")
def fuzz_target(allinone_factory):
    """An all-in-one of its own: the fuzzer creates and changes data other tests count on."""
    with allinone_factory() as target:
        yield target


@pytest.mark.parametrize("username", list(PHASES))
def test_no_input_breaks_the_api(fuzz_target, username: str, tmp_path: Path, capsys) -> None:
    target = fuzz_target
    spec = httpx.get(f"{target.base_url}/api/v1/openapi.json", timeout=120).json()
    operations = sum(1 for item in spec["paths"].values() for method in item
                     if method in ("get", "put", "post", "delete", "patch"))
    st = Path(sys.executable).parent / "st"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "fuzz_hooks",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
        "KTXH_FUZZ_ISSUER": target.issuer,
        "KTXH_FUZZ_USER": username,
    }
    result = subprocess.run(
        [str(st), "run", f"{target.base_url}/api/v1/openapi.json", "--checks", CHECKS,
         "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--no-color",
         "--phases", PHASES[username],
         "--report", "junit", "--report-dir", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=840, check=False,
    )
    output = result.stdout + result.stderr
    generated = re.search(r"(\d+) generated", output)
    summary = output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-3000:]
    with capsys.disabled():  # shown in `make test`'s output, pass or fail
        print(f"\nschemathesis as {username}: {generated.group(1) if generated else '?'} cases, "
              f"exit code {result.returncode}\n{summary}")
    assert generated and int(generated.group(1)) > MIN_CASES_PER_OPERATION[username] * operations, output[-3000:]
    assert f"Selected: {operations}/{operations}" in output, output[-3000:]  # every operation
    assert re.search(r"Tested: [1-9]", output), output[-3000:]
    assert result.returncode == 0, output[-6000:]
