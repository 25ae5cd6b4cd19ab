"""Run KTXH in distributed mode on this machine, without Docker.

    uv run python infra/local/distributed.py            # or: make run-distributed

Starts PostgreSQL (database ``ktxh``, one schema per service), the Tansu Kafka-protocol broker,
a moto S3 server (bucket ``ktxh-documents``), the Keycloak-shaped OIDC provider on port 8080
(realm ``ktxh``, infra/keycloak/realm-ktxh.json), then every service as its own process
(``ktxh-<svc> migrate`` then ``ktxh-<svc> serve``) and the gateway on port 8000, all configured
with the environment variables of docs/conventions.md. Prints the URLs; Ctrl-C or SIGTERM stops
everything. Where a Docker engine answers, the infrastructure runs in containers instead
(``--backend local`` forces local processes).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

try:
    from ktxh_testing.servers import ServerError
    from ktxh_testing.stack import SERVICES, DistributedStack, available_services
except ImportError:  # running with a Python that lacks the workspace packages
    sys.exit(
        "ktxh-testing is not installed: run `uv sync --all-packages`, then "
        "`uv run python infra/local/distributed.py`"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--services",
        help=f"comma separated subset of: {','.join(SERVICES)} (default: every installed service)",
    )
    ap.add_argument("--no-gateway", action="store_true", help="do not start ktxh-gateway")
    ap.add_argument("--gateway-port", type=int, default=8000)
    ap.add_argument("--oidc-port", type=int, default=8080)
    ap.add_argument(
        "--free-ports",
        action="store_true",
        help="free ports for everything instead of 8000/8080/5005x/910x",
    )
    ap.add_argument("--topic-prefix", default="")
    ap.add_argument("--province", default="31")
    ap.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="service data folder (default: a temporary folder)",
    )
    ap.add_argument("--log-dir", type=Path, default=ROOT / ".local" / "distributed" / "logs")
    ap.add_argument(
        "--backend",
        choices=("auto", "local", "docker"),
        default=None,
        help="infrastructure as local processes or containers (default auto)",
    )
    ap.add_argument("--quiet", action="store_true", help="do not echo process output (logs only)")
    args = ap.parse_args(argv)

    if args.services:
        services = [s.strip() for s in args.services.split(",") if s.strip()]
    else:
        services = available_services()
        missing = [s for s in SERVICES if s not in services]
        if missing:
            print(f"note: not installed yet, skipped: {', '.join(missing)}", file=sys.stderr)

    args.log_dir.mkdir(parents=True, exist_ok=True)
    options = {
        "gateway": not args.no_gateway,
        "topic_prefix": args.topic_prefix,
        "province_code": args.province,
        "data_dir": args.data_dir,
        "log_dir": args.log_dir,
        "echo": None if args.quiet else sys.stdout,
        "backend": args.backend,
        # the demo province, as in `make run` (a real deployment loads its own units instead)
        "extra_env": {"KTXH_CATALOG_DEMO_DATA": os.environ.get("KTXH_CATALOG_DEMO_DATA", "true")},
    }
    if args.free_ports:
        stack = DistributedStack.with_free_ports(services, **options)
    else:
        stack = DistributedStack(
            services, gateway_port=args.gateway_port, oidc_port=args.oidc_port, **options
        )

    stopping = False

    def _terminate(signum, _frame):
        # the first Ctrl-C / SIGTERM stops everything; repeats (uv forwards SIGINT too) are ignored
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)
    try:
        with stack:
            print("\nKTXH distributed mode is up:", flush=True)
            for name, url in stack.urls().items():
                print(f"  {name:<12} {url}", flush=True)
            if stack.gateway_enabled:
                print(
                    f"\n  open {stack.gateway_url}/  (sign in: admin / demo, nhap_lieu / demo ...)"
                )
            print(f"  logs in {args.log_dir}")
            print("  start-up (s): " + ", ".join(f"{k} {v}" for k, v in stack.timings.items()))
            print("Ctrl-C stops everything.\n", flush=True)
            died = stack.wait()
            code = stack.processes[died].proc.returncode
            print(f"\n{died} exited with code {code}; stopping everything", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("\nstopping...", file=sys.stderr)
        return 0
    except ServerError as err:
        print(f"\nstart-up failed: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
