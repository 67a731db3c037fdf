"""Photos in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Aliyun OSS in S3 mode) through boto3.

The same :class:`~inspect_app.core.storage.PhotoStorage` contract as local disk, so every caller
(uploads, 送达 pictures, the sweep, the case file) is unchanged:

* a PUT of one object is atomic on every S3 server: a reader sees the whole object or none;
* every write carries the content's MD5 (``Content-MD5``) and SHA-256 (``x-amz-checksum-sha256``),
  which a server that knows them verifies before storing; the answer is then compared with what was
  sent (the echoed SHA-256, else the single-part ETag, which is the MD5), and an object that holds
  other bytes is deleted and the write refused — a server that verifies nothing is caught too;
* every failure (network, credentials, a missing bucket) is a :class:`StorageError`, which the
  callers turn into a 503 with nothing half-stored (the session hooks delete staged keys);
* reads can be handed to the bucket: :meth:`S3Storage.presigned_url` signs a short-lived GET, and
  the app redirects to it only after its own permission check (``core.storage.stored_file_response``).

Credentials come from boto3's standard chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a
profile, an instance role), never from the app's configuration.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import timezone
from functools import cached_property
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from inspect_app.core.storage import StorageError, StoredObject, check_key

# Bounded waits: a dead object store answers 503 within seconds, it does not hang a worker.
_CLIENT_CONFIG = dict(
    connect_timeout=5,
    read_timeout=30,
    signature_version="s3v4",
    # We send the checksums ourselves; boto3's automatic CRC32 (1.36+) is refused by several
    # S3-compatible servers.
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_MD5_ETAG = re.compile(r"^[0-9a-fA-F]{32}$")


def content_type(data: bytes) -> str:
    """The stored object's Content-Type from its magic bytes (what a presigned GET answers with)."""
    head = bytes(data[:16])
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return "application/octet-stream"


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


class S3Storage:
    """Objects in one bucket; keys as the app generates them (``p/ab/ab…``), never a client's name."""

    list_page_size = 1000  # keys per ListObjectsV2 request (the S3 maximum); tests page with fewer

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 public_endpoint_url: str | None = None, addressing_style: str = "auto", max_attempts: int = 3):
        if not bucket:
            raise RuntimeError("PHOTO_STORAGE=s3 needs S3_BUCKET")
        self.bucket = bucket
        config = Config(**_CLIENT_CONFIG, s3={"addressing_style": addressing_style or "auto"},
                        retries={"max_attempts": max_attempts, "mode": "standard"})
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                                   config=config)
        # Browsers may reach the store under another address than the app servers do (a public
        # host name in front of an internal MinIO): presigned URLs are signed for that address.
        self._presigner = (boto3.client("s3", endpoint_url=public_endpoint_url, region_name=region or None,
                                        config=config)
                           if public_endpoint_url else self.client)

    def put(self, key: str, data: bytes, *, sha256: str | None = None) -> None:
        """Store all bytes or nothing, verified by the server where it can and by us after."""
        check_key(key)
        digest = hashlib.sha256(data).digest()
        if sha256 is not None and digest.hex() != sha256:
            raise StorageError(f"content of {key!r} does not match its SHA-256")
        md5 = hashlib.md5(data, usedforsecurity=False)
        try:
            answer = self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type(data),
                ContentMD5=_b64(md5.digest()), ChecksumSHA256=_b64(digest),
                Metadata={"sha256": digest.hex()})  # lets a resumed copy skip it with one HEAD
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not store {key!r}: {exc}") from exc
        if not _answer_matches(answer, md5.hexdigest(), _b64(digest)):
            self._delete_quietly(key)
            raise StorageError(f"the store holds other bytes for {key!r} than were sent")

    def get(self, key: str) -> bytes:
        check_key(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
            with answer["Body"] as body:
                return body.read()
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not read {key!r}: {exc}") from exc

    def delete(self, key: str) -> None:
        """Remove the object; a key that is not there is not an error (as on disk)."""
        check_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _error_code(exc) not in _NOT_FOUND:
                raise StorageError(f"could not delete {key!r}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"could not delete {key!r}: {exc}") from exc

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def stored_sha256(self, key: str) -> str | None:
        """The SHA-256 the object was written with (its metadata), without reading it; None if unknown."""
        answer = self._head(key)
        return None if answer is None else (answer.get("Metadata") or {}).get("sha256")

    def _head(self, key: str) -> dict | None:
        """The object's HEAD answer, or None when there is no such object."""
        check_key(key)
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                return None
            raise StorageError(f"could not look up {key!r}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"could not look up {key!r}: {exc}") from exc

    def list_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Every object whose key starts with ``prefix``, page by page (1,000 keys a request)."""
        if prefix.strip("/"):
            check_key(prefix.rstrip("/"))
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": self.list_page_size})
            for page in pages:
                for entry in page.get("Contents", ()):
                    yield StoredObject(key=entry["Key"], size=int(entry["Size"]),
                                       modified_at=entry["LastModified"].astimezone(timezone.utc))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not list {prefix!r}: {exc}") from exc

    def presigned_url(self, key: str, *, content_type: str | None = None, expires_seconds: int = 60) -> str:
        """A GET URL for ``key`` that works without credentials for ``expires_seconds``.

        Signing is local (no request to the store). Whoever holds the URL may read the object until it
        expires, so the app issues one only after its own permission check, and only for seconds.
        """
        check_key(key)
        params = {"Bucket": self.bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        try:
            return self._presigner.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_seconds)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"could not sign a URL for {key!r}: {exc}") from exc

    @cached_property
    def read_origin(self) -> str | None:
        """The origin (scheme://host[:port]) presigned URLs point at, for the app's CSP; None if unsignable."""
        try:
            parts = urlsplit(self.presigned_url("p/00/origin-probe"))
        except StorageError:
            return None
        return f"{parts.scheme}://{parts.netloc}"

    def _delete_quietly(self, key: str) -> None:
        try:
            self.delete(key)
        except StorageError:
            pass  # the sweep removes it later: nothing references it


def _answer_matches(answer: dict, md5_hex: str, sha256_b64: str) -> bool:
    """Does the server's answer to a PUT show it stored the bytes that were sent?

    The echoed SHA-256 decides when there is one (AWS echoes it, also under SSE-KMS where the ETag is
    not an MD5); otherwise a single-part ETag is the MD5 of the content (MinIO, Ceph, OSS, moto).
    """
    echoed = answer.get("ChecksumSHA256")
    if echoed:
        return echoed == sha256_b64
    etag = (answer.get("ETag") or "").strip('"')
    if _MD5_ETAG.match(etag):
        return etag.lower() == md5_hex
    return True  # neither given (a multipart-style ETag): the server checked Content-MD5 itself


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
