"""HTTPS for the reference (``serve --tls``): a self-signed certificate for 127.0.0.1, ::1 and localhost.

The certificate is made at start with the ``cryptography`` package (a dependency of moto), valid for a day, and
is its own trust anchor: clients verify the reference with it as their CA bundle (``AWS_CA_BUNDLE``). Its key
never leaves the process (it is written to a private temporary file only for as long as ``ssl`` takes to load it).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

VALIDITY = dt.timedelta(days=1)
NAMES = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")


class TlsUnavailable(RuntimeError):
    """TLS was asked for, but the certificate cannot be made here (no ``cryptography`` package)."""


@dataclass(frozen=True, slots=True)
class SelfSigned:
    """A server's TLS context and the PEM of its self-signed certificate (what clients trust)."""

    context: ssl.SSLContext
    certificate_pem: str


def self_signed(now: dt.datetime | None = None) -> SelfSigned:
    """A fresh EC P-256 key and a certificate for localhost, 127.0.0.1 and ::1, loaded into a server context."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise TlsUnavailable("TLS needs the 'cryptography' package (pip install cryptography)") from None
    now = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "comprehend-contract reference")])
    alternative_names: list[x509.GeneralName] = [x509.DNSName(host) for host in NAMES]
    alternative_names += [x509.IPAddress(ipaddress.ip_address(address)) for address in ADDRESSES]
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.TemporaryDirectory(prefix="comprehend-contract-tls-") as directory:
        chain = Path(directory) / "server.pem"
        descriptor = os.open(chain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key_pem + certificate_pem)
        context.load_cert_chain(chain)
    return SelfSigned(context, certificate_pem)
