"""State changes of exports: every download of the weekly export is audited (who, which week,
which format, by which way), in the caller's transaction. Only flushes; the caller commits."""
from __future__ import annotations

from inspect_app.core import audit
from inspect_app.exports.queries import ExportContext


def record_download(actor, ctx: ExportContext, fmt: str, *, via: str) -> None:
    """Audit one export: ``via`` is ``api`` (a user's download) or ``cli`` (the scheduled job,
    no user: the district). The export holds personal data and photo links, so who took it matters."""
    audit.record(actor, "export.download", None, object_type="export", object_id=ctx.label, after={
        "week": ctx.label, "format": fmt, "via": via,
        "units": "all" if ctx.user is None or ctx.user.sees_all_units else sorted(u.code for u in ctx.user.units),
        "links_base_url": ctx.base_url,
    })
