"""Settings of the document service beyond the shared ones (``KTXH_DOCUMENT_*``)."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class DocumentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_DOCUMENT_", extra="ignore", frozen=True)

    # Largest file accepted, in bytes (default 20 MiB). The gateway answers 413 beyond it.
    max_upload_bytes: int = 20 * 1024 * 1024
    # PEM/DER certificate files or folders of them, separated by ':' (Vietnamese government
    # CA roots in production). Empty: no root is trusted, every signature is "untrusted".
    trust_roots: str = ""
    # The same as PEM text (one or more certificates), e.g. from a ConfigMap key through the
    # chart's `extraEnv` (valueFrom.configMapKeyRef); added to TRUST_ROOTS.
    trust_roots_pem: str = ""
    # Document kinds kept under a retention lock (comma-separated).
    legal_kinds: str = "decision"
    # How long legal documents are locked, in days (default 10 years).
    retention_days: int = 3650
    # S3 object-lock mode of legal documents. GOVERNANCE lets the service discard an upload
    # it failed to record; COMPLIANCE cannot be bypassed by anyone (see docs/documents.md).
    retention_mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"
