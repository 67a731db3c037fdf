"""The notice signing key: configured, or generated once into the instance folder (mode 0600)."""
from __future__ import annotations

import base64
import stat
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from inspect_app.notices.signing import KEY_FILE, SigningKeyError, _load, parse_private_key


def _raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_a_key_is_generated_once_with_mode_0600_and_reused(tmp_path):
    first = _load("", tmp_path)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    assert _raw_public(_load("", tmp_path)) == _raw_public(first)
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]  # no temporary file left behind


def test_processes_starting_together_end_up_with_one_key(tmp_path):
    keys, barrier = [], threading.Barrier(8)

    def start():
        barrier.wait()
        keys.append(_raw_public(_load("", tmp_path)))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_a_configured_key_is_used_as_pem_or_base64(tmp_path):
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    assert _raw_public(_load(pem, tmp_path)) == _raw_public(key)
    assert _raw_public(_load(base64.b64encode(raw).decode(), tmp_path)) == _raw_public(key)
    assert not (tmp_path / KEY_FILE).exists()


@pytest.mark.parametrize("bad", ["not a key", base64.b64encode(b"short").decode(),
                                 "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"])
def test_a_bad_configured_key_stops_startup_with_a_clear_error(tmp_path, bad):
    with pytest.raises(SigningKeyError, match="NOTICE_SIGNING_KEY"):
        parse_private_key(bad)


def test_an_rsa_key_is_refused(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    with pytest.raises(SigningKeyError, match="Ed25519"):
        parse_private_key(pem)
