"""Health check and serving the phone app (PWA) from ``static/pwa``."""
from flask import Blueprint as FlaskBlueprint
from flask import current_app, redirect, send_from_directory
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


@pwa.route("/app/")
@pwa.route("/app/<path:filename>")
@public
def app_file(filename: str = "index.html"):
    """Serve the PWA; the service worker is served from /app/ so its scope covers the app."""
    response = send_from_directory(_pwa_dir(), filename)
    if filename in ("sw.js", "index.html", "manifest.webmanifest"):
        response.headers["Cache-Control"] = "no-cache"
    if filename == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return response
