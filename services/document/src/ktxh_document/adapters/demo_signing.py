"""A demo certificate authority for the embedded default (``make run``): its files live in
the data folder, only the embedded default trusts its root, and ``ktxh-document demo-sign``
signs a PDF with it so that a user trying the system can issue a decision that requires a
validly signed PDF. Never trusted by the distributed deployment (docs/documents.md).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

FOLDER = "demo-ca"
ROOT_NAME = "KTXH Demo Root CA (chỉ dùng để dùng thử)"


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=not ca, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )


class DemoCA:
    """The demo root and one signer certificate, created on first use under ``<data>/demo-ca``."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER
        self.root_path = self.folder / "root.pem"

    def _create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = _name(ROOT_NAME, "KTXH (dùng thử)")
        root = (
            x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        signer = (
            x509.CertificateBuilder()
            .subject_name(_name("Người ký thử nghiệm (demo)", "UBND (dùng thử)")).issuer_name(root_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        (self.folder / "signer.pem").write_bytes(signer.public_bytes(pem))
        key_path = self.folder / "signer-key.pem"
        key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        key_path.chmod(0o600)
        self.root_path.write_bytes(root.public_bytes(pem))  # last: its presence means "complete"

    def root_pem(self) -> str:
        if not self.root_path.exists():
            self._create()
        return self.root_path.read_text()

    def sign(self, pdf: bytes) -> bytes:
        """``pdf`` signed (PAdES, incremental update) by the demo signer."""
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        self.root_pem()
        der = serialization.Encoding.DER
        signer = x509.load_pem_x509_certificate((self.folder / "signer.pem").read_bytes())
        root = x509.load_pem_x509_certificate(self.root_path.read_bytes())
        key = serialization.load_pem_private_key((self.folder / "signer-key.pem").read_bytes(), None)
        simple = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(signer.public_bytes(der)),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            ),
            cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(root.public_bytes(der))]),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        meta = signers.PdfSignatureMetadata(field_name="KTXHDemo", subfilter=fields.SigSeedSubFilter.PADES)
        return signers.sign_pdf(writer, meta, signer=simple).getvalue()
