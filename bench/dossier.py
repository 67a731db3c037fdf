"""How long the case file (案卷) of a case with 40 photos takes to stream, and what it costs in memory.

    python bench/dossier.py [--photos 40] [--megapixels 12] [--runs 3]

Setup (not measured): a SQLite database in a temporary folder with the real checklists, one site, an
inspection failing four items with 10 photos each (12 MP JPEGs, about 3–5 MB each, uploaded through
the API like the phone does), the case it queued and its notice. Measured, in a fresh process that
opens the same database: ``GET /api/penalty-cases/<id>/dossier`` read chunk by chunk as a client
would — wall time to the last byte, archive size, the largest chunk, and the process's resident-memory
high-water mark above its resident memory just before the request (the app already imported).
Target: < 3 s and < 100 MB. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PER_ITEM = 10  # the submission schema's limit of photos per item


def _kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _config(folder: Path) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "PHOTO_DIR": str(folder / "photos"), "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench-secret" * 3,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def _photo(number: int, megapixels: float, taken: datetime, site) -> bytes:
    from PIL import Image

    from tests.evidence.images import make_exif

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 30 + number % 20).convert("RGB")
    picture = Image.blend(base, noise, 0.35)
    buffer = io.BytesIO()
    exif = make_exif(taken_at=taken.replace(tzinfo=None), offset="+08:00", lat=site.lat, lon=site.lon)
    picture.save(buffer, "JPEG", quality=88 - number % 5, exif=exif)
    return buffer.getvalue()


def setup(folder: Path, photos: int, megapixels: float) -> int:
    """Build the case; returns its id."""
    from inspect_app import create_app
    from inspect_app.checklists.operations import sync_checklists
    from inspect_app.core.units import ensure_units
    from inspect_app.extensions import db
    from tests import factories
    from tests.inspections.helpers import WINTER_MORNING, submission

    app = create_app(_config(folder))
    with app.app_context():
        db.create_all()
        ensure_units()
        db.session.commit()
    return _setup_in(app, photos, megapixels, db, sync_checklists, factories, submission, WINTER_MORNING)


def _setup_in(app, photos, megapixels, db, sync_checklists, factories, submission, morning) -> int:
    with app.app_context():
        sync_checklists(None, app.config["CHECKLIST_DIR"])
        db.session.commit()
        site = factories.create_site("xinhuaxilu", phase="structure", contractor="呼和浩特某建筑工程有限公司")
        inspector = factories.create_user("inspector", units=("xinhuaxilu",))
        client = app.test_client()
        headers = _login(client, inspector)
        form = client.get("/api/checklists", headers=headers).get_json()["site"]
        keys = [i["key"] for i in form["items"] if i["veto"]][:1] + \
               [i["key"] for i in form["items"] if not i["veto"] and "structure" in (i["phases"] + ["structure"])
                and not i.get("window") and not i.get("site_statuses")]
        keys = keys[:(photos + PER_ITEM - 1) // PER_ITEM]
        ids = {key: [str(uuid.uuid4()) for _ in range(min(PER_ITEM, photos - n * PER_ITEM))]
               for n, key in enumerate(keys)}
        body = submission(form, site, outcomes={k: "fail" for k in keys}, photos=ids)
        response = client.post("/api/inspections", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        taken = morning + timedelta(minutes=5)
        total = 0
        for number, photo_id in enumerate(pid for group in ids.values() for pid in group):
            data = _photo(number, megapixels, taken, site)
            total += len(data)
            put = client.put(f"/api/inspections/{body['uuid']}/photos/{photo_id}", data=data,
                             headers={**headers, "Content-Type": "application/octet-stream"})
            assert put.status_code in (200, 201), put.get_json()
        print(f"setup: {sum(map(len, ids.values()))} photos, {total / 1e6:.1f} MB of originals")
        return response.get_json()["penalty_cases"][0]["id"]


def _login(client, user) -> dict:
    from tests.factories import PASSWORD

    res = client.post("/api/auth/login", json={"username": user.username, "password": PASSWORD})
    assert res.status_code == 200, res.get_json()
    return {"Authorization": f"Bearer {res.get_json()['token']}"}


def measure(folder: Path, case_id: int) -> dict:
    """In this (fresh) process: one dossier download, chunk by chunk."""
    from inspect_app import create_app
    from inspect_app.extensions import db
    from tests import factories

    app = create_app(_config(folder))
    with app.app_context():
        admin = factories.create_user("admin", units=(), username=f"bench-{uuid.uuid4().hex[:8]}")
        client = app.test_client()
        headers = _login(client, admin)
        client.get("/api/health")
        baseline = _kb("VmRSS:")
        started = time.perf_counter()
        response = client.get(f"/api/penalty-cases/{case_id}/dossier", headers=headers)
        size, largest, first = 0, 0, None
        sink = tempfile.TemporaryFile()
        for chunk in response.response:
            first = first or time.perf_counter() - started
            size += len(chunk)
            largest = max(largest, len(chunk))
            sink.write(chunk)
        elapsed = time.perf_counter() - started
        peak = _kb("VmHWM:")
        response.close()
        sink.seek(0)
        members = len(zipfile.ZipFile(sink).namelist())
        db.session.remove()
    return {"status": response.status_code, "seconds": elapsed, "first_byte": first, "bytes": size,
            "largest_chunk": largest, "extra_rss_mb": (peak - baseline) / 1024, "members": members}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), int(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        folder = Path(tmp)
        case_id = setup(folder, args.photos, args.megapixels)
        results = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--measure", str(folder), str(case_id)],
                                 capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                sys.exit(out.stderr[-3000:])
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        for r in results:
            print(f"run: {r['seconds'] * 1000:.0f} ms to the last byte (first byte {r['first_byte'] * 1000:.0f} ms), "
                  f"{r['bytes'] / 1e6:.1f} MB, {r['members']} files, largest chunk {r['largest_chunk'] / 1024:.0f} KB, "
                  f"+{r['extra_rss_mb']:.1f} MB resident")
        print(f"median: {statistics.median(r['seconds'] for r in results) * 1000:.0f} ms (target < 3000 ms), "
              f"max extra resident {max(r['extra_rss_mb'] for r in results):.1f} MB (target < 100 MB)")


if __name__ == "__main__":
    main()
