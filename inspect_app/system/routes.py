"""Health check and serving the phone app (PWA) from ``static/pwa``."""
import hashlib
import re
from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, redirect, send_from_directory
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from sqlalchemy import func, select, text

from inspect_app import __version__
from inspect_app.auth.permissions import public
from inspect_app.checklists.models import ChecklistVersion
from inspect_app.extensions import db
from inspect_app.system.schemas import HealthSchema
from inspect_app.system.health import probe_for
from inspect_app.system.monitoring import monitoring

blp = Blueprint("system", __name__, url_prefix="/api", description="Health")
pwa = FlaskBlueprint("pwa", __name__)
PLAIN_BLUEPRINTS = (pwa, monitoring)  # monitoring: /metrics, request ids, request log lines


@blp.route("/health")
class Health(MethodView):
    @public
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="degraded: the database did not answer")
    def get(self):
        """Version, database reachability and the checklist versions loaded.

        Answers within ``HEALTH_DB_TIMEOUT_SECONDS`` (plus a little) whatever the database does:
        ``degraded`` (503) when it refuses, fails or has not answered by then.
        """
        answered, checklists = probe_for(current_app._get_current_object()).run(
            _loaded_checklists, current_app.config["HEALTH_DB_TIMEOUT_SECONDS"])
        database = "ok" if answered else "unreachable"
        status = 200 if answered else 503
        return {
            "status": "ok" if answered else "degraded",
            "version": __version__,
            "database": database,
            "checklists": checklists if answered else {},
            "cjk_font": current_app.extensions.get("cjk_font") or None,
        }, status


def _loaded_checklists() -> dict[str, int]:
    """The newest stored version of each checklist source (and proof the database answers)."""
    db.session.execute(text("SELECT 1"))
    rows = db.session.execute(
        select(ChecklistVersion.source_key, func.max(ChecklistVersion.version))
        .group_by(ChecklistVersion.source_key)
    ).all()
    return {key: version for key, version in rows}


def _pwa_dir() -> str:
    return current_app.static_folder + "/pwa"


@pwa.route("/")
@public
def root():
    """The phone app lives under /app/."""
    return redirect("/app/")


def _app_files(root: Path) -> list[Path]:
    """Every file the app is made of (sw.js and the developer tools excepted), in a stable order."""
    return [path for path in sorted(root.rglob("*"))
            if path.is_file() and path.name != "sw.js" and "tools" not in path.relative_to(root).parts]


_fingerprints: dict[tuple, str] = {}


def _shell_fingerprint(pwa_dir: str) -> str:
    """A short hash over every app file, so any changed file is a new service-worker version.

    Remembered per (directory, name, size, mtime) of the files: every app file response carries the
    version, so the hash must not be recomputed over all files on every request.
    """
    root = Path(pwa_dir)
    files = _app_files(root)
    signature = (pwa_dir, *((p.relative_to(root).as_posix(), *_stat(p)) for p in files))
    if signature not in _fingerprints:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        if len(_fingerprints) > 16:
            _fingerprints.clear()
        _fingerprints[signature] = digest.hexdigest()[:10]
    return _fingerprints[signature]


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def app_version(pwa_dir: str) -> str:
    """The deployed app's version as the service worker states it: sw.js's VERSION + the files' hash."""
    source = (Path(pwa_dir) / "sw.js").read_text(encoding="utf-8")
    declared = re.search(r"const VERSION = '([^']*)';", source)
    return f"{declared.group(1) if declared else ''}+{_shell_fingerprint(pwa_dir)}"


def _service_worker(pwa_dir: str) -> Response:
    """sw.js with the shell's content hash appended to its VERSION: a deployment that changes any
    file makes phones offer "new version available" even if nobody bumped the number by hand."""
    source = (Path(pwa_dir) / "sw.js").read_text(encoding="utf-8")
    fingerprint = _shell_fingerprint(pwa_dir)
    source = re.sub(r"const VERSION = '([^']*)';", lambda m: f"const VERSION = '{m.group(1)}+{fingerprint}';",
                    source, count=1)
    return Response(source, mimetype="text/javascript")


@pwa.route("/app/")
@pwa.route("/app/<path:filename>")
@public
def app_file(filename: str = "index.html"):
    """Serve the PWA; the service worker is served from /app/ so its scope covers the app.

    Every file says which deployment it belongs to (``X-App-Version``, the service worker's VERSION):
    the worker caches a file only when it is of its own version, so screens loaded on demand (the desk
    screens are not precached) never mix an old shell with a newer module.
    """
    if filename == "sw.js":
        response = _service_worker(_pwa_dir())
    else:
        response = send_from_directory(_pwa_dir(), filename)
    if filename in ("sw.js", "index.html", "manifest.webmanifest"):
        response.headers["Cache-Control"] = "no-cache"
    if filename == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    response.headers["X-App-Version"] = app_version(_pwa_dir())
    return response
