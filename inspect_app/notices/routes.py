"""Notices API (scoped like inspections) and the public verify pages (/v/<token>, no login)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint as FlaskBlueprint
from flask import Response, render_template, request
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import to_local
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.parsing import Blueprint
from inspect_app.extensions import db
from inspect_app.notices import queries, service_routes, signing, verification
from inspect_app.notices.rendering import render_notice
from inspect_app.notices.rules import NOTICE_LOCALE
from inspect_app.notices.schemas import NoticeListArgs, NoticeSchema, NoticeSummarySchema

blp = Blueprint("notices", __name__, url_prefix="/api/notices",
                description="整改通知书: rectification notices issued for failed inspections")
verify = FlaskBlueprint("verify", __name__, url_prefix="/v", template_folder="templates",
                        static_folder="static", static_url_path="/static")
verify.record_once(lambda state: signing.init_signing_key(state.app))
PLAIN_BLUEPRINTS = (verify,)
API_BLUEPRINTS = (service_routes.blp,)  # 送达

NoticePage = paged_schema(NoticeSummarySchema, "NoticePage")
READERS = ("inspector", "supervisor", "enforcement", "admin")
MAX_PDF_BYTES = 10 * 1024 * 1024


def _visible_or_404(notice_id: int):
    notice = queries.get_visible_notice(current_user(), notice_id)
    if notice is None:
        raise NotFound()
    return notice


@blp.route("")
class Notices(MethodView):
    @roles_required(*READERS)
    @blp.arguments(NoticeListArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, NoticePage)
    def get(self, args, page, page_size):
        """Notices of the caller's own inspections (inspectors) or units, newest first."""
        return paginate(queries.list_notices(current_user(), **args), page, page_size)


@blp.route("/<int:notice_id>")
class NoticeItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, NoticeSchema)
    def get(self, notice_id):
        """One notice: its signed content, each item's rectification status, evidence, verify address."""
        return queries.notice_view(_visible_or_404(notice_id))


@blp.route("/<int:notice_id>.pdf")
class NoticePdf(MethodView):
    @roles_required(*READERS)
    @blp.response(200, content_type="application/pdf", description="the notice as an A4 PDF")
    def get(self, notice_id):
        """The notice as a printable PDF (its SHA-256 is remembered so the file can be verified)."""
        notice = _visible_or_404(notice_id)
        rendered = render_notice(notice)
        db.session.commit()
        response = Response(rendered.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f"inline; filename=\"notice-{notice_id}.pdf\"; filename*=UTF-8''{quote(notice.number + '.pdf')}")
        response.headers["X-Content-SHA256"] = rendered.sha256
        return response


# ---- the public verify pages ----

def _page(template: str, status: int = 200, **context):
    return render_template(f"notices/{template}", t=lambda code, **p: translate(code, NOTICE_LOCALE, **p),
                           local_time=_local_time, is_current=queries.rendering_is_current_of, **context), status


def _local_time(value) -> str:
    local = to_local(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _record_page(notice, check=None, problem: str | None = None, status: int = 200):
    return _page("verify.html", status, view=queries.notice_view(notice), check=check, problem=problem,
                 record_ok=verification.record_signature_valid(notice), public_key=signing.public_key_b64())


def _uploaded_pdf() -> tuple[bytes | None, str | None]:
    """The uploaded file's bytes, or an error code (no file / too large)."""
    request.max_content_length = MAX_PDF_BYTES
    try:
        upload = request.files.get("pdf")
    except RequestEntityTooLarge:
        return None, "verify_reason_too_large"
    if upload is None or not upload.filename:
        return None, "verify_reason_no_file"
    return upload.read(MAX_PDF_BYTES + 1), None


@verify.get("/<token>")
def notice_page(token: str):
    """What the record says about a notice: anyone holding the paper may look (no names, no phones)."""
    notice = queries.get_by_token(token)
    if notice is None:
        return _page("not_found.html", 404)
    return _record_page(notice)


@verify.post("/<token>")
def check_against_notice(token: str):
    """Compare an uploaded PDF with this notice's record."""
    notice = queries.get_by_token(token)
    if notice is None:
        return _page("not_found.html", 404)
    pdf, problem = _uploaded_pdf()
    if problem:
        return _record_page(notice, problem=problem, status=413 if problem.endswith("too_large") else 400)
    return _record_page(notice, check=verification.check_pdf(pdf, expected_token=token))


@verify.route("/check", methods=["GET", "POST"])
def check_any():
    """Compare an uploaded PDF with whichever notice it names."""
    if request.method == "GET":
        return _page("check.html")
    pdf, problem = _uploaded_pdf()
    if problem:
        return _page("check.html", 413 if problem.endswith("too_large") else 400, problem=problem)
    check = verification.check_pdf(pdf)
    if check.notice is None:
        return _page("check.html", check=check)
    return _record_page(check.notice, check=check)
