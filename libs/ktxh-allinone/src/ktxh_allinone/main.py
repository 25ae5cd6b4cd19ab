"""``make run``: every service and the gateway in one process, on embedded defaults.

Each service still serves its own gRPC port and owns its own SQLite database; they share one
in-process bus (kept in ``<data>/bus.db``), so the outbox → bus → inbox path is the same as with
Kafka. The built-in sign-in serves Keycloak-shaped OIDC endpoints with demo users.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from pathlib import Path

import uvicorn

from ktxh_gateway.main import build
from ktxh_gateway.settings import GatewaySettings
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.bus.inprocess import InProcessBus
from ktxh_platform.runtime import ServiceDefinition, ServiceRuntime
from ktxh_platform.settings import GRPC_PORTS, SERVICES, settings_for
from ktxh_platform.telemetry import setup_telemetry


def definitions() -> list[ServiceDefinition]:
    from ktxh_assignment.bootstrap import definition as assignment
    from ktxh_catalog.bootstrap import definition as catalog
    from ktxh_document.bootstrap import definition as document
    from ktxh_notification.bootstrap import definition as notification
    from ktxh_evaluation.bootstrap import definition as evaluation
    from ktxh_oversight.bootstrap import definition as oversight
    from ktxh_reporting.bootstrap import definition as reporting
    from ktxh_submission.bootstrap import definition as submission

    return [f() for f in (
        catalog, assignment, submission, evaluation, oversight, document, reporting, notification,
    )]


class AllInOne:
    """Starts the services, then the gateway; stops them in reverse order."""

    def __init__(self, data_dir: Path, *, host: str, port: int, grpc_port_base: int) -> None:
        self.data_dir = data_dir
        self.bus = InProcessBus(data_dir / "bus.db")
        self.runtimes: list[ServiceRuntime] = []
        # Token relay: every service validates tokens of the gateway's issuer (the built-in one
        # unless KTXH_GATEWAY_OIDC_ISSUER names a real Keycloak realm).
        issuer = GatewaySettings(host=host, port=port, data_dir=data_dir).issuer
        ports = {
            name: grpc_port_base + i if grpc_port_base else GRPC_PORTS[name]
            for i, name in enumerate(SERVICES)
        }
        # Services that call others (with the caller's token) find them on this process's ports.
        for caller, callee in (("assignment", "catalog"), ("assignment", "document"),
                               ("submission", "catalog"), ("submission", "assignment"),
                               ("submission", "document"),
                               ("oversight", "assignment"), ("oversight", "reporting"),
                               ("oversight", "document"),
                               ("evaluation", "catalog"), ("evaluation", "assignment"),
                               ("evaluation", "reporting")):
            os.environ[f"KTXH_{caller.upper()}_{callee.upper()}_ADDR"] = f"127.0.0.1:{ports[callee]}"
        for definition in definitions():
            settings = settings_for(
                definition.name,
                data_dir=data_dir,
                grpc_port=ports[definition.name],
                demo_data=os.environ.get("KTXH_DEMO_DATA", "true") != "false",
                oidc_issuer=issuer,
            )
            self.runtimes.append(ServiceRuntime(definition, settings, bus=self.bus))
        addrs = {
            f"{r.definition.name}_addr": f"127.0.0.1:{r.settings.resolved_grpc_port()}"
            for r in self.runtimes
        }
        self.gateway_settings = GatewaySettings(host=host, port=port, data_dir=data_dir, **addrs)

    async def start(self) -> None:
        await self.bus.start()
        await asyncio.gather(*(r.start() for r in self.runtimes))

    async def stop(self) -> None:
        for runtime in reversed(self.runtimes):
            await runtime.stop()
        await self.bus.stop()


def banner(settings: GatewaySettings, password: str) -> str:
    users = "\n".join(
        f"    {u.username:<10} {', '.join(sorted(u.roles)):<32} {u.display_name}" for u in DEMO_USERS
    )
    return (
        f"\nKTXH đang chạy (all-in-one)\n"
        f"  Mở trình duyệt:  {settings.base_url}/\n"
        f"  API (OpenAPI):   {settings.base_url}/api/v1/docs\n"
        f"  Sức khỏe:        {settings.base_url}/healthz  {settings.base_url}/readyz\n"
        f"  Đăng nhập OIDC:  {settings.issuer}\n"
        f"  Người dùng mẫu (mật khẩu: {password}):\n{users}\n"
        f"  Dừng: Ctrl+C\n"
    )


async def serve(app_runner: AllInOne) -> None:
    settings = app_runner.gateway_settings
    try:
        await app_runner.start()
    except BaseException:
        await app_runner.stop()
        raise
    server = uvicorn.Server(
        uvicorn.Config(
            build(settings), host=settings.host, port=settings.port, log_config=None,
            access_log=False, lifespan="on",
        )
    )
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: setattr(server, "should_exit", True))
    serve_task = asyncio.create_task(server.serve())
    while not server.started and not serve_task.done():
        await asyncio.sleep(0.05)
    if server.started:
        print(banner(settings, settings.demo_password), flush=True)
    await serve_task
    await app_runner.stop()


def cli() -> None:
    parser = argparse.ArgumentParser(prog="ktxh-allinone", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("KTXH_GATEWAY_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("KTXH_GATEWAY_PORT", "8000")))
    parser.add_argument("--data-dir", default=os.environ.get("KTXH_DATA_DIR", ".data"))
    parser.add_argument(
        "--grpc-port-base", type=int, default=int(os.environ.get("KTXH_GRPC_PORT_BASE", "0")),
        help="first gRPC port (services use consecutive ports); 0 = the standard 50051..50057",
    )
    args = parser.parse_args()
    setup_telemetry("ktxh-allinone")
    data_dir = Path(args.data_dir).resolve()
    asyncio.run(serve(AllInOne(data_dir, host=args.host, port=args.port, grpc_port_base=args.grpc_port_base)))


if __name__ == "__main__":
    cli()
