"""With PHOTO_STORAGE=s3 the desk's photo gallery really loads through the presigned redirect in
Chromium: the app's fetch (bearer token) gets a 302 to the bucket, the browser follows it without the
token, the bucket's CORS rule lets the page read the bytes, and the CSP allows exactly that origin."""
from __future__ import annotations

import boto3
import pytest

from inspect_app.core.storage_s3 import S3Storage
from tests.browser import seed
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_desk_app import log_in_desk
from tests.storage.s3server import new_bucket, s3_endpoint  # noqa: F401  (the S3 server process)

pytestmark = pytest.mark.browser


@pytest.fixture
def bucket_storage(live_app, live_server, s3_endpoint, monkeypatch):  # noqa: F811
    """The live server keeps its photos in a fresh bucket for this test; the bucket allows the app's origin."""
    name = new_bucket(s3_endpoint)
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").put_bucket_cors(
        Bucket=name, CORSConfiguration={"CORSRules": [{"AllowedOrigins": [live_server], "AllowedMethods": ["GET"],
                                                        "AllowedHeaders": ["*"], "MaxAgeSeconds": 600}]})
    storage = S3Storage(name, endpoint_url=s3_endpoint, region="us-east-1", addressing_style="path")
    monkeypatch.setitem(live_app.extensions, "photo_storage", storage)
    monkeypatch.setitem(live_app.config, "S3_PRESIGNED_READS", True)
    return storage


def test_the_site_gallery_loads_photos_from_the_bucket_through_the_redirect(page, api, camera, bucket_storage,
                                                                            s3_endpoint):  # noqa: F811
    site = seed.sites_of(api)[4]
    seed.submit_inspection(api, camera, site)
    assert any(True for _ in bucket_storage.list_objects("p/"))
    from_bucket = []
    page.on("request", lambda request: from_bucket.append(request) if request.url.startswith(s3_endpoint) else None)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in_desk(page, "supervisor")
    page.goto(f"/app/#/site/{site['id']}")
    page.wait_for_selector(".insp .gallery img[data-loaded='1']")
    assert page.get_attribute(".insp .gallery img[data-loaded='1']", "src").startswith("blob:")
    assert from_bucket, "no request reached the bucket"
    for request in from_bucket:
        assert "X-Amz-Signature=" in request.url
        assert "authorization" not in {name.lower() for name in request.headers}  # the token stays with the app
        assert request.redirected_from is not None and "/api/photos/" in request.redirected_from.url
    assert page.evaluate("window.__cspViolations || []") + console == []
