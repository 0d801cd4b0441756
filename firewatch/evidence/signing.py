"""The installation's Ed25519 signing key: created on first use under ``$FIREWATCH_HOME/keys``.

The private key is written with mode 0600 and never leaves this folder. Packages carry only the
public key; its fingerprint (SHA-256 of the DER SubjectPublicKeyInfo, the same value that
``openssl pkey -pubin -outform DER | sha256sum`` prints) is what a court compares with the key
the unit registered, because anyone can make a package signed by *some* key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_NAME = "installation-ed25519.pem"
PUBLIC_NAME = "installation-ed25519.pub.pem"
ALGORITHM = "Ed25519"


class SigningKeyError(RuntimeError):
    """The key folder holds a key that cannot be used (wrong type, unreadable, too open)."""


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_pem(self) -> str:
        return public_pem(self.public)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(public_der(self.public)).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, message: bytes) -> str:
        """Base64 of the 64-byte Ed25519 signature over ``message``."""
        return base64.b64encode(self.private.sign(message)).decode("ascii")


def public_der(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_pem(key: Ed25519PublicKey) -> str:
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


def fingerprint(key: Ed25519PublicKey) -> str:
    return "sha256:" + hashlib.sha256(public_der(key)).hexdigest()


def load_or_create(keys_dir: Path) -> SigningKey:
    """The installation key, generated (0600) the first time anything is signed."""
    keys_dir = Path(keys_dir)
    private_path = keys_dir / PRIVATE_NAME
    if private_path.exists():
        return SigningKey(_read_private(private_path))
    keys_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(keys_dir, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # O_EXCL: two processes creating the key at once must not overwrite each other's.
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return SigningKey(_read_private(private_path))
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    (keys_dir / PUBLIC_NAME).write_text(public_pem(key.public_key()), encoding="ascii")
    return SigningKey(key)


def _read_private(path: Path) -> Ed25519PrivateKey:
    if path.stat().st_mode & 0o077:
        raise SigningKeyError(f"{path}: 私钥文件权限过宽，应为 0600 (chmod 600 {path})")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise SigningKeyError(f"{path}: 无法读取私钥: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: 不是 Ed25519 私钥")
    return key


def load_public(data: str | bytes) -> Ed25519PublicKey:
    """A public key from PEM text or base64 DER (as carried in datapackage-digest.json)."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    if raw.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(raw)
    else:
        key = serialization.load_der_public_key(base64.b64decode(raw, validate=True))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def signature_holds(key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
