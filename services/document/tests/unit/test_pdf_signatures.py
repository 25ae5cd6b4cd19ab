"""PAdES verification with pyHanko against a test CA created here: valid, changed after
signing, untrusted, expired certificate, unsigned, unreadable."""

from __future__ import annotations

import asyncio
import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from ktxh_document.adapters.pdf_signatures import PyHankoVerifier, load_trust_roots
from ktxh_document.domain.signatures import SignatureStatus, Verification
from ktxh_testing.pdf_signing import TestCA, plain_pdf, sign_pdf


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA("KTXH Test Root CA", "Ban Cơ yếu (thử nghiệm)")


@pytest.fixture(scope="module")
def signed(ca: TestCA) -> bytes:
    return sign_pdf(plain_pdf("Quyet dinh 1131"), ca.issue("Nguyễn Văn An", organization="UBND thành phố Hải Phòng"))


@pytest.fixture(scope="module")
def verifier(ca: TestCA) -> PyHankoVerifier:
    return PyHankoVerifier([asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))])


def check(verifier: PyHankoVerifier, data: bytes, tmp_path: Path) -> Verification:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return asyncio.run(verifier.verify(path, hashlib.sha256(data).hexdigest()))


def test_a_pdf_signed_by_a_trusted_ca_is_valid(verifier, signed, tmp_path):
    result = check(verifier, signed, tmp_path)
    assert result.status is SignatureStatus.VALID and result.label == "Chữ ký số hợp lệ"
    [sig] = result.signatures
    assert sig.signer_name == "Nguyễn Văn An"
    assert sig.signer_organization == "UBND thành phố Hải Phòng"
    assert sig.issuer == "CN=KTXH Test Root CA,O=Ban Cơ yếu (thử nghiệm),C=VN"
    assert sig.signer_subject == "CN=Nguyễn Văn An,O=UBND thành phố Hải Phòng,C=VN"
    assert sig.signing_time is not None and abs(sig.signing_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert sig.intact and sig.trusted and sig.certificate_valid_at_signing
    assert not sig.modified_after_signing


def test_one_byte_changed_after_signing_is_flagged_modified(verifier, signed, tmp_path):
    changed = bytearray(signed)
    changed[signed.index(b"Quyet dinh 1131") + 11] = ord("9")  # 1131 -> 1191
    result = check(verifier, bytes(changed), tmp_path)
    assert result.status is SignatureStatus.MODIFIED
    assert result.label == "Văn bản đã bị thay đổi sau khi ký"
    assert not result.valid and result.signatures[0].modified_after_signing


def test_content_added_after_signing_is_flagged_modified(verifier, signed, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 700 Td (Chi tieu da sua) Tj ET")
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = check(verifier, out.getvalue(), tmp_path)
    assert result.status is SignatureStatus.MODIFIED
    # the original signature itself is still intact: what changed is the document
    assert result.signatures[0].intact and result.signatures[0].modified_after_signing


def test_a_certificate_from_an_unknown_ca_is_untrusted(verifier, tmp_path):
    stranger = TestCA("Unknown CA")
    result = check(verifier, sign_pdf(plain_pdf(), stranger.issue("Người lạ")), tmp_path)
    assert result.status is SignatureStatus.UNTRUSTED
    assert result.explain() == (
        "Chứng thư số của Người lạ (do Unknown CA cấp) không thuộc tổ chức chứng thực được tin cậy"
    )
    assert result.signatures[0].intact and not result.signatures[0].trusted


def test_without_configured_roots_nothing_is_trusted(signed, tmp_path):
    result = check(PyHankoVerifier([]), signed, tmp_path)
    assert result.status is SignatureStatus.UNTRUSTED


def test_a_certificate_expired_when_signing_is_flagged(ca, verifier, tmp_path):
    now = datetime.now(UTC)
    expired = ca.issue("Hết hạn", not_before=now - timedelta(days=30), not_after=now - timedelta(days=1))
    result = check(verifier, sign_pdf(plain_pdf(), expired), tmp_path)
    assert result.status is SignatureStatus.CERTIFICATE_INVALID
    assert not result.signatures[0].certificate_valid_at_signing


def test_an_unsigned_pdf_is_unsigned(verifier, tmp_path):
    result = check(verifier, plain_pdf(), tmp_path)
    assert result.status is SignatureStatus.UNSIGNED and result.signatures == []


def test_a_broken_pdf_is_invalid_not_valid(verifier, tmp_path):
    result = check(verifier, b"%PDF-1.7\n" + b"\x00garbage" * 50, tmp_path)
    assert result.status in (SignatureStatus.INVALID, SignatureStatus.UNSIGNED)
    assert not result.valid


def test_trust_roots_load_from_files_and_folders(ca, tmp_path):
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "root.pem").write_bytes(ca.pem())
    (folder / "readme.txt").write_text("not a certificate")
    other = tmp_path / "other.crt"
    other.write_bytes(TestCA("Second").pem())
    roots = load_trust_roots(f"{folder}:{other}", pem=(ca.pem() + TestCA("Third").pem()).decode())
    assert len(roots) == 4
    with pytest.raises(ValueError, match="holds no certificate"):
        load_trust_roots("", pem="not a certificate")
    with pytest.raises(ValueError, match="neither a file nor a folder"):
        load_trust_roots(str(tmp_path / "missing"))
