"""Fixtures of the storage tests: a moto S3 server per test process, a bucket per test, and the
contract's ``store`` parametrized over local disk and S3."""
from __future__ import annotations

import pytest

from inspect_app.core.storage import LocalDiskStorage
from tests.storage.s3server import new_bucket, s3_endpoint  # noqa: F401  (the session's S3 server)


@pytest.fixture
def s3_store(s3_endpoint):
    from inspect_app.core.storage_s3 import S3Storage

    return S3Storage(new_bucket(s3_endpoint), endpoint_url=s3_endpoint, region="us-east-1",
                     addressing_style="path")


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    """The same contract over both backends."""
    if request.param == "local":
        return LocalDiskStorage(tmp_path / "photos")
    return request.getfixturevalue("s3_store")


@pytest.fixture
def use_storage(app, monkeypatch):
    """Make ``storage`` the app's photo storage for one test (``use_storage(store)``)."""
    def use(storage, **config):
        monkeypatch.setitem(app.extensions, "photo_storage", storage)
        for name, value in config.items():
            monkeypatch.setitem(app.config, name, value)
        return storage
    return use
