"""A real S3-API server for the tests: moto's standalone server in a process of its own, on a free
loopback port, started once per test process and stopped at its end.

Without moto installed the S3 tests are skipped with a reason on a laptop, but fail under CI
(``.ci/run`` sets ``REQUIRE_S3_SERVER=1``): the contract suite must really run against S3 there.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager

import pytest

START_TIMEOUT_SECONDS = 30
CREDENTIALS = {
    # moto accepts any key; the app reads them from the standard variables, as in production
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
    # never read a developer's ~/.aws files or an instance role
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def require_moto() -> None:
    """Skip (laptop) or fail (CI) when moto's server cannot be imported."""
    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        message = f"moto[server] is not installed ({exc}); pip install -r requirements-test.txt"
        if os.environ.get("REQUIRE_S3_SERVER") or os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def free_port() -> int:
    """A loopback port nothing listens on (for the server, or for a store that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(process: subprocess.Popen, port: int, log_path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            with open(log_path, encoding="utf-8", errors="replace") as log:
                raise RuntimeError(f"moto server exited with {process.returncode}: {log.read()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"moto server did not listen on port {port} within {START_TIMEOUT_SECONDS} s")


@contextmanager
def moto_server():
    """Yield the endpoint URL of a fresh moto server process; stop it afterwards."""
    require_moto()
    with tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False) as log:
        log_path = log.name
    for attempt in range(3):  # another process may take the free port before moto binds it
        port = free_port()
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            _wait_until_listening(process, port, log_path)
            break
        except RuntimeError:
            _stop(process)
            if attempt == 2:
                raise
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        os.unlink(log_path)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def new_bucket(endpoint: str) -> str:
    """A bucket of its own for one test (moto keeps everything in memory)."""
    import boto3

    name = f"photos-{uuid.uuid4().hex[:16]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def s3_endpoint():
    """The S3 server's URL, with the standard AWS variables set for boto3 while it runs (import this
    fixture into a conftest or test module to use it)."""
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
