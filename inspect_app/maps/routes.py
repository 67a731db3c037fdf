"""Maps API: the sites a map draws (grade, open violations, stop-work) and the tile settings."""
from flask import current_app
from flask.views import MethodView

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.geo import to_wgs84
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from inspect_app.core.timeutil import utcnow
from inspect_app.maps.queries import map_sites
from inspect_app.maps.schemas import MapSitesArgs, MapSitesSchema

blp = Blueprint("maps", __name__, url_prefix="/api/map", description="Map points and tile settings")


def tile_settings() -> dict:
    """What Leaflet needs to draw the configured tiles (Amap: GCJ-02)."""
    config = current_app.config
    return {"url": config["MAP_TILE_URL"], "subdomains": config["MAP_TILE_SUBDOMAINS"],
            "attribution": config["MAP_TILE_ATTRIBUTION"], "datum": "GCJ02"}


@blp.route("/sites")
class MapSites(MethodView):
    @roles_required("inspector", "supervisor", "enforcement", "admin")
    @blp.arguments(MapSitesArgs, location="query")
    @blp.response(200, MapSitesSchema)
    def get(self, args):
        """The caller's open sites as map points (WGS-84) with last grade, open violations and
        stop-work order, nearest first from ``lat,lon`` if given; and the tile settings."""
        near = to_wgs84(args["lat"], args["lon"], args["datum"]) if args["lat"] is not None else None
        items, truncated = map_sites(current_user(), utcnow(), unit=args["unit"], near=near,
                                     limit=args["limit"])
        return {"tiles": tile_settings(), "truncated": truncated, "items": items}
