"""Fixtures of the storage tests: a moto S3 server per test process, a bucket per test, and the
contract's ``store`` parametrized over local disk and S3."""
from __future__ import annotations

import os

import pytest

from inspect_app.core.storage import LocalDiskStorage
from tests.storage.s3server import CREDENTIALS, moto_server, new_bucket


@pytest.fixture(scope="session")
def s3_endpoint():
    """The S3 server's URL, with the standard AWS variables set for boto3 while it runs."""
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        with moto_server() as endpoint:
            yield endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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
