"""Test PDFs and test certificate authorities: a CA made in the test (``cryptography``),
certificates it issues, a plain PDF, and PAdES signing with pyHanko.

    ca = TestCA("KTXH Test Root CA")
    signer = ca.issue("Nguyễn Văn A", organization="UBND thành phố Hải Phòng")
    signed = sign_pdf(plain_pdf("Quyet dinh so 1"), signer)
    ca.pem()  # the root, to configure as a trust root
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common_name: str, organization: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


@dataclass
class Issued:
    """A certificate with its private key and the chain above it (issuer first)."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    chain: list[x509.Certificate] = field(default_factory=list)


class TestCA:
    __test__ = False  # not a pytest class

    def __init__(self, common_name: str = "KTXH Test Root CA", organization: str = "KTXH Test") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        name = _name(common_name, organization)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                    crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(
        self,
        common_name: str,
        *,
        organization: str = "",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
    ) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization)).issuer_name(self.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=30))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False,
                    crl_sign=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        return Issued(cert, key, [self.cert])


def plain_pdf(text: str = "Quyet dinh giao chi tieu") -> bytes:
    """A small valid one-page PDF (ASCII text)."""

    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def sign_pdf(pdf: bytes, signer: Issued, field_name: str = "Signature1") -> bytes:
    """``pdf`` signed (PAdES baseline, incremental update) by ``signer``. Callable from async
    tests too (pyHanko's synchronous API runs its own event loop, so it runs in a thread)."""

    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign(pdf, signer, field_name)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_sign, pdf, signer, field_name).result()


def _sign(pdf: bytes, signer: Issued, field_name: str) -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(signer.cert.public_bytes(der))
    key = asn1_keys.PrivateKeyInfo.load(
        signer.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in signer.chain]
    simple = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs(chain)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(writer, meta, signer=simple).getvalue()
