"""Checklists API: every role reads the current forms; admins and supervisors see the versions."""
from flask import request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import roles_required
from inspect_app.checklists import document, queries
from inspect_app.checklists.schemas import ChecklistFormsSchema, ChecklistVersionOutSchema

blp = Blueprint("checklists", __name__, url_prefix="/api/checklists", description="Checklist forms")


@blp.route("")
class Checklists(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, ChecklistFormsSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="If-None-Match names the current ETag: the phone's copy is current")
    def get(self):
        """The current site and truck forms; the phone caches them to inspect offline.

        They change only on a checklist sync, so each process keeps the JSON of the current versions
        and answers ``If-None-Match`` with 304 after one small query (``checklists/document.py``).
        """
        etag, body = document.current_forms_json()
        return document.conditional_json(etag, body, request.if_none_match)


@blp.route("/versions")
class ChecklistVersions(MethodView):
    @roles_required("admin", "supervisor")
    @blp.response(200, ChecklistVersionOutSchema(many=True))
    def get(self):
        """Every stored checklist version, so reviewers can tell which wording an inspection used."""
        return queries.list_versions()
