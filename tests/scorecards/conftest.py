"""These tests log many users in; hash their passwords cheaply (tests/auth checks the real cost)."""
import pytest
from werkzeug.security import generate_password_hash

from inspect_app.auth import operations as auth_operations


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    monkeypatch.setattr(auth_operations, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))
