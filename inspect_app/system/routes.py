"""Health check and serving the phone app (PWA) from ``static/pwa``."""
import hashlib
import re
from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, redirect, send_from_directory
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select, text

from inspect_app import __version__
from inspect_app.auth.permissions import public
from inspect_app.checklists.models import ChecklistVersion
from inspect_app.extensions import db

blp = Blueprint("system", __name__, url_prefix="/api", description="Health")
pwa = FlaskBlueprint("pwa", __name__)
PLAIN_BLUEPRINTS = (pwa,)


@blp.route("/health")
class Health(MethodView):
    @public
    def get(self):
        """Version, database reachability and the checklist versions loaded."""
        try:
            db.session.execute(text("SELECT 1"))
            rows = db.session.execute(
                select(ChecklistVersion.source_key, func.max(ChecklistVersion.version))
                .group_by(ChecklistVersion.source_key)
            ).all()
            database, checklists = "ok", {key: version for key, version in rows}
        except Exception as exc:  # the health check reports, it does not crash
            current_app.logger.warning("health: database unreachable: %s", exc)
            db.session.rollback()
            database, checklists = "unreachable", {}
        status = 200 if database == "ok" else 503
        return {
            "status": "ok" if status == 200 else "degraded",
            "version": __version__,
            "database": database,
            "checklists": checklists,
            "cjk_font": current_app.extensions.get("cjk_font") or None,
        }, status


def _pwa_dir() -> str:
    return current_app.static_folder + "/pwa"


@pwa.route("/")
@public
def root():
    """The phone app lives under /app/."""
    return redirect("/app/")


def _shell_fingerprint(pwa_dir: str) -> str:
    """A short hash over every app file, so any changed file is a new service-worker version."""
    digest = hashlib.sha256()
    root = Path(pwa_dir)
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != "sw.js" and "tools" not in path.relative_to(root).parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


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
    """Serve the PWA; the service worker is served from /app/ so its scope covers the app."""
    if filename == "sw.js":
        response = _service_worker(_pwa_dir())
    else:
        response = send_from_directory(_pwa_dir(), filename)
    if filename in ("sw.js", "index.html", "manifest.webmanifest"):
        response.headers["Cache-Control"] = "no-cache"
    if filename == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return response
