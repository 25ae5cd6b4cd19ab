"""PAdES signature verification with pyHanko.

For each signature: signer (CN, O), claimed signing time (or the timestamp token's time),
whether the signed bytes are intact, whether the file was changed after signing (coverage
and pyHanko's difference analysis: only later signatures and long-term validation data are
tolerated), whether the certificate chains to a configured trust root (validated as of the
signing time), and whether the certificate was within its validity period when it signed.

Trust roots are configuration (PEM/DER files, or a folder of them: the Vietnamese government
CA roots in production); with none configured nothing is trusted. No network fetching.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import structlog
from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder, load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ktxh_document.domain.signatures import SignatureCheck, Verification

log = structlog.get_logger(__name__)

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
_TOLERATED = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}
_COVERED = {SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION}


def load_trust_roots(spec: str, pem: str = "") -> list[x509.Certificate]:
    """Certificates from ``spec`` (paths of files or folders separated by ``:``) and from
    ``pem`` (PEM text with one or more certificates)."""

    files: list[Path] = []
    for part in filter(None, spec.split(":")):
        path = Path(part)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"trust roots: {part} is neither a file nor a folder")
    roots = list(load_certs_from_pemder([str(f) for f in files]))
    if pem.strip():
        if "-----BEGIN CERTIFICATE-----" not in pem:
            raise ValueError("trust roots: the PEM text holds no certificate")
        roots += list(load_certs_from_pemder_data(pem.encode()))
    return roots


def _name_part(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _rfc4514(cert: x509.Certificate, which: str) -> str:
    """A distinguished name as ``CN=...,O=...,C=VN`` (RFC 4514), Vietnamese letters kept."""

    from cryptography import x509 as cx509

    parsed = cx509.load_der_x509_certificate(cert.dump())
    return getattr(parsed, which).rfc4514_string()


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class PyHankoVerifier:
    def __init__(self, trust_roots: list[x509.Certificate]) -> None:
        self.trust_roots = trust_roots

    async def verify(self, path: Path, sha256: str) -> Verification:
        # pyHanko's work is CPU-bound: run it off the service's event loop
        return await asyncio.to_thread(lambda: asyncio.run(self._verify(path, sha256)))

    async def _verify(self, path: Path, sha256: str) -> Verification:
        now = datetime.now(UTC)
        try:
            with path.open("rb") as f:
                reader = PdfFileReader(f, strict=False)
                signatures = [await self._check(s) for s in reader.embedded_signatures]
        except Exception as err:  # noqa: BLE001 - any parse failure means "cannot be trusted"
            log.info("pdf_signature_unreadable", error=repr(err))
            return Verification(
                sha256, now,
                error="Không đọc được chữ ký số: tệp PDF bị hỏng hoặc đã bị sửa đổi sau khi ký",
            )
        return Verification(sha256, now, signatures)

    async def _check(self, sig) -> SignatureCheck:
        cert: x509.Certificate = sig.signer_cert
        claimed = _utc(sig.self_reported_timestamp)
        context = ValidationContext(
            trust_roots=list(self.trust_roots), allow_fetching=False, moment=claimed,
            revocation_mode="soft-fail",
        )
        try:
            status = await async_validate_pdf_signature(sig, signer_validation_context=context)
        except Exception as err:  # noqa: BLE001 - broken CMS, bad digest, unreadable structure
            log.info("pdf_signature_invalid", field=sig.field_name, error=repr(err))
            intact, trusted, modified, signed_at = False, False, False, claimed
        else:
            signed_at = claimed
            if status.timestamp_validity is not None and status.timestamp_validity.intact:
                signed_at = _utc(status.timestamp_validity.timestamp)
            intact = bool(status.intact and status.valid)
            level = status.modification_level
            modified = (
                not status.intact  # the signed bytes no longer hash to the signed digest
                or status.coverage not in _COVERED
                or level is None or level not in _TOLERATED
                or status.docmdp_ok is False
            )
            trusted = bool(status.trusted)
        not_before = _utc(cert["tbs_certificate"]["validity"]["not_before"].native)
        not_after = _utc(cert["tbs_certificate"]["validity"]["not_after"].native)
        moment = signed_at or datetime.now(UTC)
        valid_then = bool(not_before and not_after and not_before <= moment <= not_after)
        return SignatureCheck(
            field_name=str(sig.field_name or ""),
            signer_name=_name_part(cert.subject, "common_name"),
            signer_organization=_name_part(cert.subject, "organization_name"),
            signer_subject=_rfc4514(cert, "subject"),
            issuer=_rfc4514(cert, "issuer"),
            serial_number=format(cert.serial_number, "x"),
            signing_time=signed_at,
            certificate_not_before=not_before,
            certificate_not_after=not_after,
            intact=intact,
            modified_after_signing=modified,
            trusted=trusted,
            certificate_valid_at_signing=valid_then,
        )

