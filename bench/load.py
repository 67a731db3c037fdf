"""Stateless app nodes under load: N gunicorn nodes, PostgreSQL, an S3 server, simulated inspectors.

    python bench/load.py --nodes 2 [--seconds 60] [--inspectors 5] [--workers 1] [--heic]
    python bench/load.py --nodes 1 --workers 1,2,4        # the scaling curve, one line per worker count

Starts an S3-API server (moto, the launcher of tests/storage/s3server.py), creates the PostgreSQL database
``--database`` (dropped first if it exists), migrates it and loads the demo data, then starts N app nodes: separate
gunicorn processes (gunicorn.conf.py) on loopback ports, each with its own INSPECT_INSTANCE_PATH and no shared local
disk (photos go to the bucket; the notice-signing key and SECRET_KEY come from the environment, as several servers
need). Simulated inspectors (threads, each with its own account and token) rotate over the nodes request by
request and repeat, for ``--seconds``: GET /api/checklists (If-None-Match once cached) → nearby sites → POST a
40-item inspection with two failed items → PUT two 9 MP camera JPEGs (or iPhone-sized HEIC with --heic; bytes varied
per upload so every SHA-256 differs) → read back (the inspection, then a photo: 302 to a presigned URL, fetched).

Prints throughput (inspections a minute), p50/p95/p99 per endpoint, errors, and the CPU split over the measured
window from /proc: app nodes (gunicorn masters and workers), the PostgreSQL backends of the bench database, the S3
server and this load generator. Then the app's CPU per request by endpoint, from the nodes' own ``/metrics``
(``inspect_http_request_cpu_seconds``, summed over the workers in multiprocess mode, scraped before and after the
window): where a node's CPU goes, and a check that /metrics works under real gunicorn workers. Then it writes one inspection with its photos through node 1 only and reads it,
photos byte for byte, through node 2 (the cross-node check). Prints figures; asserts nothing but the check.
The machine's other load counts: run it on a quiet machine, and read the CPU columns, not only wall times.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import io
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.submit import extra_source  # noqa: E402
from inspect_app.sites.models import PHASES  # noqa: E402
from tests.evidence.images import camera_jpeg  # noqa: E402
from tests.storage.s3server import CREDENTIALS, free_port, moto_server, new_bucket  # noqa: E402

PASSWORD = "bench-load-pass-2026"
METRICS_TOKEN = "bench-load-metrics"
UNITS = ["xinhuaxilu", "zhongshanxilu", "guangminglu", "hailaerxilu", "huanhejie", "tongdaojie", "gangtielu",
         "youyouban"]
NEAR = (40.8200, 111.6500)  # 新华西路街道's centre: the demo sites around it
PHOTO_SIZE = (3464, 2598)  # 9.0 MP, a phone camera's 4:3
TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- database and nodes

def prepare_database(server_url: str, name: str, inspectors: int) -> str:
    """Drop and create ``name``, migrate it, load the demo data and one inspector account per thread."""
    import sqlalchemy as sa

    admin = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                     {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{server_url}/{name}"
    os.environ["DATABASE_URL"] = url
    os.environ["INSPECT_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-load-setup-")
    from flask_migrate import upgrade

    from inspect_app import create_app
    from inspect_app.auth import operations as auth_ops
    from inspect_app.demo.cli import load_demo_data
    from inspect_app.extensions import db

    from inspect_app.checklists.operations import sync_checklists
    from inspect_app.checklists.queries import current_form

    checklists = Path(os.environ["INSPECT_INSTANCE_PATH"]) / "checklists"
    shutil.copytree(REPO / "checklists", checklists)
    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "CHECKLIST_DIR": str(checklists)})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_demo_data()
        (checklists / "bench-extra.toml").write_text(forty_item_source(current_form("site")["items"]), "utf-8")
        sync_checklists(None, checklists)
        for n in range(inspectors + 1):
            auth_ops.create_user(None, username=f"bench{n}", display_name=f"压测巡查员{n}", role="inspector",
                                 password=PASSWORD, units=UNITS)
        db.session.commit()
        db.engine.dispose()
    shutil.rmtree(os.environ.pop("INSPECT_INSTANCE_PATH"), ignore_errors=True)
    os.environ.pop("DATABASE_URL")
    return url


def forty_item_source(items: list[dict]) -> str:
    """bench/submit.py's generated items, each for one phase, so every phase's site form has 40 items."""
    needs = [phase for phase in PHASES
             for _ in range(max(0, 40 - sum(1 for item in items if set(item["phases"]) & {"all", phase})))]
    head, *blocks = extra_source(len(needs)).split("[[items]]")
    return head + "".join("[[items]]" + block.replace('phases = ["all"]', f'phases = ["{phase}"]')
                          for block, phase in zip(blocks, needs))


class Node:
    """One app node: a gunicorn master and its workers, with an instance folder of its own."""

    def __init__(self, index: int, env: dict, workers: int, worker_class: str, threads: int):
        self.index, self.port = index, free_port()
        self.folder = Path(tempfile.mkdtemp(prefix=f"bench-load-node{index}-"))
        (self.folder / "prometheus").mkdir()
        node_env = dict(env, INSPECT_INSTANCE_PATH=str(self.folder), PHOTO_DIR=str(self.folder / "photos"),
                        GUNICORN_ACCESS_LOG=str(self.folder / "access.log"),
                        GUNICORN_ERROR_LOG=str(self.folder / "error.log"),
                        PROMETHEUS_MULTIPROC_DIR=str(self.folder / "prometheus"), METRICS_TOKEN=METRICS_TOKEN)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", worker_class,
             "--threads", str(threads), "wsgi:app"],
            cwd=REPO, env=node_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def request_cpu(self) -> dict[tuple[str, str], tuple[float, float]]:
        """{(method, endpoint): (requests, CPU seconds)} from this node's /metrics (all its workers)."""
        from prometheus_client.parser import text_string_to_metric_families

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        response = conn.getresponse()
        text = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"node {self.index} /metrics answered {response.status}: {text[:200]}")
        figures: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for family in text_string_to_metric_families(text):
            if family.name != "inspect_http_request_cpu_seconds":
                continue
            for sample in family.samples:
                key = (sample.labels["method"], sample.labels["endpoint"])
                if sample.name.endswith("_count"):
                    figures[key][0] += sample.value
                elif sample.name.endswith("_sum"):
                    figures[key][1] += sample.value
        return {key: (count, seconds) for key, (count, seconds) in figures.items()}

    def wait_ready(self, seconds: float = 240) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.index} exited: {(self.folder / 'error.log').read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"node {self.index} not ready in {seconds} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def node_environment(database_url: str, endpoint: str, bucket: str) -> dict:
    """What every node shares: the database, the bucket, the signing key and the secret — no disk."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives import serialization

    raw = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                     serialization.NoEncryption())
    env = dict(os.environ, **CREDENTIALS)
    env.update(DATABASE_URL=database_url, PHOTO_STORAGE="s3", S3_ENDPOINT_URL=endpoint, S3_BUCKET=bucket,
               S3_REGION="us-east-1", S3_ADDRESSING_STYLE="path", NOTICE_SIGNING_KEY=base64.b64encode(raw).decode(),
               SECRET_KEY=uuid.uuid4().hex * 2, RATELIMIT_ENABLED="0", WEBHOOK_DELIVER_AFTER_COMMIT="0")
    return env


# ---------------------------------------------------------------- CPU accounting from /proc

def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(v) for v in fields[11:15]) / TICKS


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and every live descendant (exited workers count through their parent)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                stats[int(entry)] = stat
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        if pid in stats:
            total += stats[pid][1]
            frontier += [child for child, (parent, _) in stats.items() if parent == pid]
    return total


def pids_cpu(pids: list[int]) -> dict[int, float]:
    return {pid: stat[1] for pid in pids if (stat := _stat(pid))}


def moto_pid(port: int) -> int:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"moto.server" in cmdline and str(port).encode() in cmdline:
                return int(entry)
    raise RuntimeError("moto server process not found")


def database_bytes(database_url: str, name: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        size = conn.scalar(sa.text("SELECT pg_database_size(:n)"), {"n": name})
    engine.dispose()
    return int(size)


def bucket_bytes(env: dict) -> tuple[int, int]:
    """(objects, bytes) in the nodes' bucket."""
    import boto3

    client = boto3.client("s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name="us-east-1")
    count = total = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=env["S3_BUCKET"]):
        for item in page.get("Contents", []):
            count, total = count + 1, total + item["Size"]
    return count, total


def postgres_backends(database_url: str, name: str) -> list[int]:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        pids = list(conn.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :n "
                                         "AND pid <> pg_backend_pid()"), {"n": name}))
    engine.dispose()
    return pids


# ---------------------------------------------------------------- photos

def jpeg_variant(base: bytes) -> bytes:
    """The same picture with a unique COM segment after SOI: new bytes, new SHA-256, same pixels."""
    tag = uuid.uuid4().bytes
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag + base[2:]


def heic_variant(base: bytes) -> bytes:
    """A unique top-level ``free`` box appended (ISO-BMFF readers skip it)."""
    tag = uuid.uuid4().bytes
    return base + struct.pack(">I4s", 8 + len(tag), b"free") + tag


def base_photos(heic: bool, now: datetime) -> list[bytes]:
    """Two different camera pictures with EXIF time and place (generated once; each upload varies the bytes)."""
    exif = {"taken_at": now, "offset": "+00:00", "lat": NEAR[0], "lon": NEAR[1]}
    pictures = [camera_jpeg(PHOTO_SIZE, seed=seed, **exif) for seed in (7, 11)]
    if not heic:
        return pictures
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = []
    for data in pictures:
        image = Image.open(io.BytesIO(data))
        buffer = io.BytesIO()
        image.save(buffer, "HEIF", quality=80, exif=image.getexif().tobytes())
        out.append(buffer.getvalue())
    return out


# ---------------------------------------------------------------- the simulated inspector

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.inspections = 0
        self.items: list[int] = []

    def add(self, label: str, ms: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latency[label].append(ms)
            if not ok:
                self.errors[label] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{label}: {detail[:200]}")


class Inspector:
    """One phone: its own token; each request goes to the next node (client-side rotation)."""

    def __init__(self, ports: list[int], username: str, stats: Stats, photos: list[bytes], heic: bool):
        self.ports, self.turn, self.stats, self.photos, self.heic = ports, 0, stats, photos, heic
        self.connections: dict[tuple[str, int], http.client.HTTPConnection] = {}
        self.headers: dict[str, str] = {}
        self.etag, self.forms = None, None
        status, body = self.call("login", "POST", "/api/auth/login",
                                 json.dumps({"username": username, "password": PASSWORD}).encode())
        self.headers["Authorization"] = "Bearer " + json.loads(body)["token"]

    def call(self, label, method, path, body=None, content_type="application/json", expect=(200, 201),
             headers=None, port=None, host="127.0.0.1", auth=True):
        """One request on a kept-alive connection; returns (status, body) and records the latency."""
        if port is None:
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
        sent = dict(self.headers if auth else {}, **(headers or {}))
        if body is not None:
            sent["Content-Type"] = content_type
        started = time.perf_counter()
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            conn = self.connections.get((host, port)) or http.client.HTTPConnection(host, port, timeout=120)
            self.connections[(host, port)] = conn
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.connections.pop((host, port), None)
                if attempt == 2:
                    self.stats.add(label, (time.perf_counter() - started) * 1000, False, "connection failed")
                    return 0, b""
        self.last_headers = response.headers
        ms = (time.perf_counter() - started) * 1000
        self.stats.add(label, ms, response.status in expect, f"{response.status} {data[:200]!r}")
        return response.status, data

    def inspection(self, port=None) -> tuple[str, dict[str, str]]:
        """The whole flow once; returns the inspection's UUID and the SHA-256 of each photo by id."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        status, body = self.call("GET /api/checklists", "GET", "/api/checklists", headers=headers,
                                 expect=(200, 304), port=port)
        if status == 200:
            self.forms, self.etag = json.loads(body), self.last_headers.get("ETag")
        status, body = self.call("GET /api/sites?near", "GET",
                                 f"/api/sites?near={NEAR[0]},{NEAR[1]}&page_size=20", port=port)
        sites = json.loads(body)["items"] if status == 200 else []
        site = sites[self.turn % len(sites)] if sites else None
        if site is None or self.forms is None:
            return "", {}
        form = self.forms["site"]
        items = [item for item in form["items"] if set(item["phases"]) & {"all", site["phase"]}]
        failing = [item["key"] for item in items if not item.get("veto") and item.get("photos_on_fail")][:2]
        photos, answers = {}, []
        for item in items:
            ids = [str(uuid.uuid4())] if item["key"] in failing else []
            photos.update({pid: None for pid in ids})
            answers.append({"key": item["key"], "outcome": "fail" if ids else "pass", "note": "", "photo_ids": ids})
        now = datetime.now(timezone.utc)
        gps = {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 6, "datum": "WGS84"}
        record = {"uuid": str(uuid.uuid4()), "site_id": site["id"], "checklist_version_ids": form["version_ids"],
                  "started_at": (now - timedelta(minutes=20)).isoformat(), "finished_at": now.isoformat(),
                  "gps_start": gps, "gps_finish": gps, "items": answers}
        status, body = self.call("POST /api/inspections", "POST", "/api/inspections",
                                 json.dumps(record).encode(), port=port)
        if status != 201:
            return "", {}
        with self.stats.lock:
            self.stats.items.append(len(answers))
        kind = "heic" if self.heic else "jpeg"
        for n, pid in enumerate(photos):
            data = (heic_variant if self.heic else jpeg_variant)(self.photos[n % len(self.photos)])
            photos[pid] = hashlib.sha256(data).hexdigest()
            self.call(f"PUT photo ({kind})", "PUT", f"/api/inspections/{record['uuid']}/photos/{pid}", data,
                      f"image/{kind}", port=port)
        self.call("GET /api/inspections/<uuid>", "GET", f"/api/inspections/{record['uuid']}", port=port)
        if photos:
            self.read_photo(next(iter(photos)), "display", port=port)
        return record["uuid"], photos

    def read_photo(self, photo_id: str, variant: str, port=None) -> bytes:
        """GET the photo through the app, then its presigned URL from the bucket (as a phone does)."""
        status, body = self.call(f"GET photo {variant} (302)", "GET", f"/api/photos/{photo_id}/{variant}",
                                 expect=(302,), port=port)
        if status != 302:
            return body if status == 200 else b""
        target = urlsplit(self.last_headers["Location"])
        status, body = self.call("GET presigned (S3)", "GET", f"{target.path}?{target.query}", auth=False,
                                 host=target.hostname, port=target.port)
        return body

    def run_until(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            uuid_, _ = self.inspection()
            if uuid_:
                with self.stats.lock:
                    self.stats.inspections += 1


# ---------------------------------------------------------------- one measured run

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(args, env, database_url: str, moto: int, workers: int, photos: list[bytes]) -> dict:
    nodes = [Node(n + 1, env, workers, args.worker_class, args.threads) for n in range(args.nodes)]
    try:
        for node in nodes:
            node.wait_ready()
        ports = [node.port for node in nodes]
        stats = Stats()
        inspectors = [Inspector(ports, f"bench{n + 1}", stats, photos, args.heic) for n in range(args.inspectors)]
        for phone in inspectors:  # warm every worker's caches and connections before measuring
            phone.inspection()
        stats.__init__()
        backends = postgres_backends(database_url, args.database)
        sizes = (database_bytes(database_url, args.database), bucket_bytes(env))
        request_cpu_before = [node.request_cpu() for node in nodes]
        before = ([tree_cpu(node.process.pid) for node in nodes], pids_cpu(backends), tree_cpu(moto),
                  os.times())
        started = time.monotonic()
        threads = [threading.Thread(target=phone.run_until, args=(started + args.seconds,)) for phone in inspectors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        backends = postgres_backends(database_url, args.database)
        after_db = pids_cpu(backends)
        request_cpu: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for node, earlier in zip(nodes, request_cpu_before):
            for key, (count, seconds) in node.request_cpu().items():
                request_cpu[key][0] += count - earlier.get(key, (0.0, 0.0))[0]
                request_cpu[key][1] += seconds - earlier.get(key, (0.0, 0.0))[1]
        cpu = {
            "app": sum(tree_cpu(node.process.pid) for node in nodes) - sum(before[0]),
            "postgres": sum(after_db[pid] - before[1].get(pid, 0.0) for pid in after_db),
            "s3": tree_cpu(moto) - before[2],
            "load": sum(os.times()[:2]) - sum(before[3][:2]),
        }
        growth = {"database": database_bytes(database_url, args.database) - sizes[0],
                  "objects": bucket_bytes(env)[0] - sizes[1][0], "bucket": bucket_bytes(env)[1] - sizes[1][1]}
        cross = cross_node_check(ports, stats, photos, args.heic) if len(nodes) > 1 else None
        return {"workers": workers, "stats": stats, "elapsed": elapsed, "cpu": cpu, "cross": cross, "growth": growth,
                "request_cpu": request_cpu}
    finally:
        for node in nodes:
            node.stop()


def cross_node_check(ports: list[int], stats: Stats, photos: list[bytes], heic: bool) -> str:
    """Write an inspection and its photos through node 1 only; read it and the originals through node 2."""
    phone = Inspector(ports, "bench0", Stats(), photos, heic)
    inspection_uuid, hashes = phone.inspection(port=ports[0])
    if not inspection_uuid:
        return "FAIL: the inspection could not be written through node 1"
    status, body = phone.call("check", "GET", f"/api/inspections/{inspection_uuid}", port=ports[1])
    if status != 200:
        return f"FAIL: node 2 answered {status} for the inspection"
    listed = {pid for item in json.loads(body)["items"] for pid in item.get("photo_ids", [])}
    if listed != set(hashes):
        return f"FAIL: node 2 lists photos {sorted(listed)}, node 1 received {sorted(hashes)}"
    for pid, digest in hashes.items():
        if hashlib.sha256(phone.read_photo(pid, "original", port=ports[1])).hexdigest() != digest:
            return f"FAIL: photo {pid} read through node 2 differs from what node 1 received"
    return (f"PASS: inspection {inspection_uuid} written through node 1 (port {ports[0]}) read through node 2 "
            f"(port {ports[1]}) with its {len(hashes)} photos, SHA-256 identical")


def report(args, result: dict, photo_bytes: int) -> None:
    stats, elapsed, cpu = result["stats"], result["elapsed"], result["cpu"]
    per_minute = stats.inspections / elapsed * 60
    kind = "HEIC" if args.heic else "JPEG"
    print(f"\n{args.nodes} node(s) × {result['workers']} {args.worker_class} worker(s), {args.inspectors} inspectors,"
          f" {elapsed:.0f} s, two {PHOTO_SIZE[0] * PHOTO_SIZE[1] / 1e6:.1f} MP {kind} photos each "
          f"(~{photo_bytes / 1e6:.1f} MB), {os.cpu_count()} CPUs, load average before: {result['load_before']}")
    print(f"throughput: {stats.inspections} inspections ({min(stats.items, default=0)}–{max(stats.items, default=0)}"
          f" items each), {per_minute:.0f} a minute")
    print(f"{'endpoint':<30}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for label, values in stats.latency.items():
        print(f"{label:<30}{len(values):>7}{statistics.median(values):>9.1f}{pct(values, .95):>9.1f}"
              f"{pct(values, .99):>9.1f}{stats.errors.get(label, 0):>8}")
    print(f"errors: {sum(stats.errors.values())}" + "".join(f"\n  {line}" for line in stats.samples))
    total = sum(cpu.values())
    per = max(stats.inspections, 1)
    print("CPU over the window (seconds, share, ms per inspection): " + ", ".join(
        f"{name} {seconds:.1f} s {seconds / total * 100:.0f}% {seconds / per * 1000:.0f} ms"
        for name, seconds in cpu.items()))
    growth = result["growth"]
    print(f"storage growth per inspection: database {growth['database'] / per / 1024:.1f} KB "
          f"(pg_database_size), bucket {growth['bucket'] / per / 1e6:.2f} MB in {growth['objects'] / per:.1f} objects")
    rows = sorted(((key, count, seconds) for key, (count, seconds) in result["request_cpu"].items() if count > 0),
                  key=lambda row: -row[2])
    measured = sum(seconds for _, _, seconds in rows)
    print(f"app CPU by endpoint (the nodes' /metrics; {measured:.1f} s of the app's {cpu['app']:.1f} s are inside "
          "requests):")
    print(f"{'method endpoint':<44}{'requests':>9}{'CPU ms/req':>11}{'ms/insp':>9}{'share':>7}")
    for (method, endpoint), count, seconds in rows:
        print(f"{method + ' ' + endpoint:<44}{count:>9.0f}{seconds / count * 1000:>11.1f}"
              f"{seconds / per * 1000:>9.1f}{seconds / max(measured, 1e-9) * 100:>6.0f}%")
    if result["cross"]:
        print(f"cross-node read: {result['cross']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", default=None,
                        help="workers per node, or a list such as 1,2,4 for one run each (default: CPUs ÷ nodes)")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--inspectors", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--heic", action="store_true", help="iPhone HEIC photos instead of JPEG")
    parser.add_argument("--server-url", default=os.environ.get("BENCH_PG", "postgresql+psycopg://127.0.0.1:5432"))
    parser.add_argument("--database", default="bench_load")
    args = parser.parse_args()
    counts = [int(v) for v in (args.workers or str(max(1, (os.cpu_count() or 1) // args.nodes))).split(",")]
    photos = base_photos(args.heic, datetime.now(timezone.utc))
    database_url = prepare_database(args.server_url, args.database, args.inspectors)
    os.environ.update(CREDENTIALS)
    with moto_server() as endpoint:
        moto = moto_pid(urlsplit(endpoint).port)
        env = node_environment(database_url, endpoint, new_bucket(endpoint))
        results = []
        for workers in counts:
            load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            result = measure(args, env, database_url, moto, workers, photos)
            result["load_before"] = load_before
            report(args, result, len(photos[0]))
            results.append(result)
    if len(results) > 1:
        print(f"\nscaling curve ({args.nodes} node(s), {args.inspectors} inspectors):")
        print(f"{'workers':>8}{'insp/min':>10}{'app CPU ms/insp':>17}{'POST p95':>10}{'PUT p95':>9}{'errors':>8}")
        for r in results:
            s = r["stats"]
            put = next((v for k, v in s.latency.items() if k.startswith("PUT")), [0])
            print(f"{r['workers']:>8}{s.inspections / r['elapsed'] * 60:>10.0f}"
                  f"{r['cpu']['app'] / max(s.inspections, 1) * 1000:>17.0f}"
                  f"{pct(s.latency['POST /api/inspections'], .95):>10.0f}{pct(put, .95):>9.0f}"
                  f"{sum(s.errors.values()):>8}")


if __name__ == "__main__":
    main()
