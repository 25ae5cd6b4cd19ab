"""Sends a transmission to a receiving system over HTTP(S) as JSON (httpx).

The request: ``POST <endpoint>`` with headers ``Idempotency-Key`` (the batch's key: the same
records always give the same key) and, when the connector names a secret, ``Authorization:
Bearer <token>`` where the token is read from the environment variable of that name (mounted
from a Kubernetes Secret); the body ``{"sender", "connector", "transmission_id", "records":
[{"idempotency_key", "indicator_code", "unit_code", "period", "value", "unit_of_measure"}]}``.
Any 2xx acknowledges; an optional JSON ``{"reference": "..."}`` is kept in the delivery log.
"""

from __future__ import annotations

import os

import httpx

from ktxh_reporting.domain.connector import Connector, DeliveryError, Transmission

__all__ = ["HttpSender"]


class HttpSender:
    def __init__(self, *, timeout: float = 10.0, sender_name: str = "KTXH") -> None:
        self.timeout = timeout
        self.sender_name = sender_name

    async def send(self, connector: Connector, transmission: Transmission) -> str:
        headers = {"Idempotency-Key": transmission.batch_key}
        if connector.credentials_secret:
            token = os.environ.get(connector.credentials_secret, "")
            if not token:
                raise DeliveryError(
                    f"Chưa cấu hình thông tin xác thực: biến môi trường "
                    f"{connector.credentials_secret} trống"
                )
            headers["Authorization"] = f"Bearer {token}"
        body = {
            "sender": connector.external_unit_code or self.sender_name,
            "connector": connector.code,
            "transmission_id": transmission.id,
            "records": [r.payload() for r in transmission.records],
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(connector.endpoint, json=body, headers=headers)
        except httpx.HTTPError as err:
            raise DeliveryError(f"Không kết nối được tới {connector.endpoint}: "
                                f"{type(err).__name__} {err}") from err
        if not response.is_success:
            raise DeliveryError(f"Bên nhận trả lời HTTP {response.status_code}: "
                                f"{response.text[:200]}")
        try:
            data = response.json()
        except ValueError:
            return ""
        return str(data.get("reference", ""))[:200] if isinstance(data, dict) else ""
