"""Key pairs for the asymmetric JWT tests."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def write_keypair(tmp_path: Path, kind: str) -> tuple[Path, Path, bytes]:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / f"{kind}.key").write_bytes(private)
    (tmp_path / f"{kind}.pub").write_bytes(public)
    return tmp_path / f"{kind}.key", tmp_path / f"{kind}.pub", public
