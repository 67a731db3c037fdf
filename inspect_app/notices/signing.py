"""The Ed25519 key that signs notices: configured (``NOTICE_SIGNING_KEY``), else generated once
into the instance folder (file mode 0600) for the embedded default.

Several app servers must share one key: set ``NOTICE_SIGNING_KEY`` (PEM, or the base64 of the raw
32-byte private key) in production. Each notice stores the id of the key that signed it, so a
changed key is reported as such instead of as a forgery.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Flask, current_app

KEY_FILE = "notice_signing_key.pem"
_EXTENSION = "notice_signing_key"


class SigningKeyError(RuntimeError):
    """NOTICE_SIGNING_KEY is set but is not an Ed25519 private key."""


def init_signing_key(app: Flask) -> None:
    """Load (or create) the key when the app is built, so a bad setting stops startup, not a submission."""
    app.extensions[_EXTENSION] = _load(app.config.get("NOTICE_SIGNING_KEY") or "", Path(app.instance_path))


def _load(configured: str, instance_path: Path) -> Ed25519PrivateKey:
    if configured.strip():
        return parse_private_key(configured)
    path = instance_path / KEY_FILE
    if path.exists():
        return parse_private_key(path.read_text(encoding="ascii"))
    # Written in full to a private temporary file, then linked into place: a process starting at the
    # same moment either finds no file or the whole key, and the first link wins.
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=".notice-key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return parse_private_key(path.read_text(encoding="ascii"))
    finally:
        os.unlink(temporary)
    return key


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or from base64 of its 32 raw bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise SigningKeyError(f"NOTICE_SIGNING_KEY is not a usable Ed25519 private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("NOTICE_SIGNING_KEY must be an Ed25519 key")
    return key


def _key() -> Ed25519PrivateKey:
    return current_app.extensions[_EXTENSION]


def public_key() -> Ed25519PublicKey:
    return _key().public_key()


def public_key_b64() -> str:
    """The raw 32-byte public key, base64 (published on the verify page for anyone to check)."""
    raw = public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    raw = (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(data: bytes) -> tuple[str, str]:
    """(base64 signature, key id) of ``data`` with the current key."""
    return base64.b64encode(_key().sign(data)).decode("ascii"), key_id()


def verify(signature_b64: str, data: bytes, signed_by: str) -> bool:
    """Whether ``signature_b64`` is the current key's signature of ``data`` (False for another key)."""
    if signed_by != key_id():
        return False
    try:
        public_key().verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
