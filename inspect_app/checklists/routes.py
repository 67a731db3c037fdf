"""Checklists API: every role reads the current forms; admins and supervisors see the versions and sources;
admins check, preview and publish changes from the desk."""
from flask import Response, request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.checklists import document, operations, queries
from inspect_app.checklists.schemas import (ChecklistDraftArgsSchema, ChecklistDraftOutSchema, ChecklistFormsSchema,
                                            ChecklistPublishArgsSchema, ChecklistPublishOutSchema,
                                            ChecklistSourceDetailSchema, ChecklistSourceOutSchema,
                                            ChecklistVersionOutSchema)
from inspect_app.core.errors import NotFound
from inspect_app.extensions import db

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


# ---------------------------------------------------------------- the checklist screen (admin desk)
# Admins change checklists here; supervisors read the sources and export them; other roles are refused.


@blp.route("/sources")
class ChecklistSources(MethodView):
    @roles_required("admin", "supervisor")
    @blp.response(200, ChecklistSourceOutSchema(many=True))
    def get(self):
        """Every checklist source with its current version, in form order (site forms first)."""
        versions = sorted(queries.current_versions(), key=lambda v: (v.kind != "site", v.position, v.source_key))
        return [queries.source_row(v) for v in versions]


def _current_or_404(source_key: str):
    version = queries.current_version(source_key)
    if version is None:
        raise NotFound("checklist_source_unknown", source=source_key)
    return version


@blp.route("/sources/<string:source_key>")
class ChecklistSource(MethodView):
    @roles_required("admin", "supervisor")
    @blp.response(200, ChecklistSourceDetailSchema)
    def get(self, source_key):
        """A source's current version, with the document a draft starts from."""
        version = _current_or_404(source_key)
        return queries.source_row(version) | {"document": operations.current_document(version)}


@blp.route("/sources/<string:source_key>/draft")
class ChecklistDraft(MethodView):
    @roles_required("admin")
    @blp.arguments(ChecklistDraftArgsSchema)
    @blp.response(200, ChecklistDraftOutSchema)
    @blp.alt_response(422, description="checklist_draft_invalid: details.problems has the loader's sentences")
    def post(self, args, source_key):
        """Check a change without storing it: the loader's verdict, the diff against the current version
        and, with ``at``, the phone form it would give at that phase and time."""
        return operations.draft_report(source_key, args["document"], phase=args["phase"], at=args["at"],
                                       site_status=args["site_status"], alert=args["alert"])


@blp.route("/sources/<string:source_key>/versions")
class ChecklistPublish(MethodView):
    @roles_required("admin")
    @blp.arguments(ChecklistPublishArgsSchema)
    @blp.response(201, ChecklistPublishOutSchema)
    @blp.alt_response(200, schema=ChecklistPublishOutSchema, success=True,
                      description="the draft has the current content: nothing stored, the current version")
    @blp.alt_response(409, description="checklist_draft_stale: another version was published since base_version")
    @blp.alt_response(422, description="checklist_draft_invalid: details.problems has the loader's sentences")
    def post(self, args, source_key):
        """Publish a change: the source's next immutable version, stored as sync stores a file (audited)."""
        version, created = operations.publish_source(current_user(), source_key, args["document"],
                                                     args["base_version"])
        db.session.commit()
        return queries.source_row(version) | {"created": created}, 201 if created else 200


@blp.route("/versions/<int:version_id>/toml")
class ChecklistVersionToml(MethodView):
    @roles_required("admin", "supervisor")
    @blp.response(200, description="the version's TOML (a synced file as it was; a published one rendered)",
                  content_type="application/toml")
    def get(self, version_id):
        """Download a version as its TOML file, to put into checklists/ in the repository."""
        version = queries.get_version(version_id)
        if version is None:
            raise NotFound("checklist_version_unknown")
        return Response(version.raw_text, content_type="application/toml; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{version.source_key}.toml"',
            "Cache-Control": "private, no-store"})
