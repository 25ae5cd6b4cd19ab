"""The demo CA of the embedded default: a PDF signed with ``ktxh-document demo-sign`` verifies
as valid against the demo root, and only the embedded default trusts that root."""

from __future__ import annotations

import subprocess
import sys

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ktxh_document.adapters.demo_signing import DemoCA
from ktxh_document.adapters.pdf_signatures import PyHankoVerifier
from ktxh_document.domain.signatures import SignatureStatus
from ktxh_testing.pdf_signing import plain_pdf


def _verifier(pem: str | None) -> PyHankoVerifier:
    roots = []
    if pem:
        der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
        roots = [asn1_x509.Certificate.load(der)]
    return PyHankoVerifier(roots)


async def test_demo_sign_command_signs_with_the_data_folder_ca(tmp_path) -> None:
    source, target = tmp_path / "qd.pdf", tmp_path / "qd-ky.pdf"
    source.write_bytes(plain_pdf("Quyet dinh demo"))
    done = subprocess.run(
        [sys.executable, "-m", "ktxh_document.entrypoints.main", "demo-sign", str(source), str(target)],
        env={"KTXH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã ký thử" in done.stdout
    ca = DemoCA(tmp_path / "data")
    signed = target.read_bytes()
    import hashlib

    trusted = await _verifier(ca.root_pem()).verify(target, hashlib.sha256(signed).hexdigest())
    assert trusted.status is SignatureStatus.VALID
    untrusted = await _verifier(None).verify(target, hashlib.sha256(signed).hexdigest())
    assert untrusted.status is SignatureStatus.UNTRUSTED
    assert ca.root_pem() == ca.root_pem()  # created once, then reused
