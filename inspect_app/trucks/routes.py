"""Truck registry API: everyone looks trucks up (the phone by plate); admins maintain the register.

Vehicles and companies are district-wide (see ``models``): no unit scoping on reads.
"""
from flask import current_app
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.spreadsheet import uploaded_bytes
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.extensions import db
from inspect_app.trucks import importer, operations, queries
from inspect_app.trucks.plates import validate_plate
from inspect_app.trucks.schemas import (CompanyInSchema, CompanyOutSchema, CompanyQuerySchema,
                                        CompanyUpdateSchema, ImportArgsSchema, ImportReportSchema,
                                        LookupQuerySchema, VehicleInSchema, VehicleOutSchema,
                                        VehicleQuerySchema, VehicleUpdateSchema)

blp = Blueprint("trucks", __name__, url_prefix="/api", description="Muck-truck registry")

VehiclePageSchema = paged_schema(VehicleOutSchema, "VehiclePage")
CompanyPageSchema = paged_schema(CompanyOutSchema, "CompanyPage")


def _load_vehicle(vehicle_id: int):
    vehicle = queries.get_vehicle(vehicle_id)
    if vehicle is None:
        raise NotFound()
    return vehicle


def _load_company(company_id: int):
    company = queries.get_company(company_id)
    if company is None:
        raise NotFound()
    return company


def _import_limit() -> int:
    """Bytes an import file may have; ``VEHICLE_IMPORT_MAX_BYTES`` in the config overrides 5 MB."""
    return current_app.config.get("VEHICLE_IMPORT_MAX_BYTES", importer.MAX_IMPORT_BYTES)


def _uploaded_bytes() -> bytes:
    """The import file (multipart ``file`` or raw body), refused above the limit."""
    return uploaded_bytes(_import_limit(), importer.CODE)


@blp.route("/vehicles")
class Vehicles(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(VehicleQuerySchema, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, VehiclePageSchema)
    def get(self, args, page, page_size):
        """Search the register by plate prefix (any spelling), company, filing status or site."""
        return paginate(queries.search_vehicles(**args), page, page_size)

    @roles_required("admin")
    @blp.arguments(VehicleInSchema)
    @blp.response(201, VehicleOutSchema)
    def post(self, data):
        """Register a muck truck (admin); the plate is normalised and must be new."""
        vehicle = operations.create_vehicle(current_user(), data)
        db.session.commit()
        return vehicle


@blp.route("/vehicles/lookup")
class VehicleLookup(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(LookupQuerySchema, location="query")
    @blp.response(200, VehicleOutSchema)
    def get(self, args):
        """The truck an inspector has stopped, by plate as typed; says whether its filing holds.

        A malformed plate is 422 ``invalid_plate`` (so the inspector can correct a typo); a
        well-formed plate that is not registered is 404 ``vehicle_unknown`` — itself a finding.
        """
        plate = validate_plate(args["plate"]).plate
        vehicle = queries.get_vehicle_by_plate(plate)
        if vehicle is None:
            raise NotFound("vehicle_unknown", plate=plate)
        return vehicle


@blp.route("/vehicles/import")
class VehicleImport(MethodView):
    @roles_required("admin")
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(413, description="file above the import limit")
    @blp.alt_response(422, description="vehicle_import_refused: details.errors lists each row")
    def post(self, args):
        """Import the filing list (CSV or XLSX, multipart ``file`` or raw body) — all or nothing.

        ``?dry_run=1`` checks the file and reports what would change without writing.
        """
        report = importer.import_vehicles(current_user(), _uploaded_bytes(), dry_run=args["dry_run"])
        if not args["dry_run"]:
            db.session.commit()
        return report


@blp.route("/vehicles/<int:vehicle_id>")
class VehicleItem(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, VehicleOutSchema)
    def get(self, vehicle_id):
        """One vehicle with its company, served sites and whether its filing holds today."""
        return _load_vehicle(vehicle_id)

    @roles_required("admin")
    @blp.arguments(VehicleUpdateSchema(partial=True))
    @blp.response(200, VehicleOutSchema)
    def patch(self, data, vehicle_id):
        """Change a vehicle's plate, company, filing, served sites or active flag (admin)."""
        vehicle = operations.update_vehicle(current_user(), _load_vehicle(vehicle_id), data)
        db.session.commit()
        return vehicle


@blp.route("/vehicles/<int:vehicle_id>/deactivate")
class VehicleDeactivate(MethodView):
    @roles_required("admin")
    @blp.response(200, VehicleOutSchema)
    def post(self, vehicle_id):
        """Take a truck out of service (admin); it stays in history and still answers lookups."""
        vehicle = operations.deactivate_vehicle(current_user(), _load_vehicle(vehicle_id))
        db.session.commit()
        return vehicle


@blp.route("/companies")
class Companies(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(CompanyQuerySchema, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, CompanyPageSchema)
    def get(self, args, page, page_size):
        """Search haulage companies by name or licence number."""
        return paginate(queries.search_companies(**args), page, page_size)

    @roles_required("admin")
    @blp.arguments(CompanyInSchema)
    @blp.response(201, CompanyOutSchema)
    def post(self, data):
        """Register a haulage company (admin); names are unique."""
        company = operations.create_company(current_user(), data)
        db.session.commit()
        return company


@blp.route("/companies/<int:company_id>")
class CompanyItem(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, CompanyOutSchema)
    def get(self, company_id):
        """One haulage company."""
        return _load_company(company_id)

    @roles_required("admin")
    @blp.arguments(CompanyUpdateSchema(partial=True))
    @blp.response(200, CompanyOutSchema)
    def patch(self, data, company_id):
        """Change a company's name, licence number or contact (admin)."""
        company = operations.update_company(current_user(), _load_company(company_id), data)
        db.session.commit()
        return company
