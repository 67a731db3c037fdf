"""The weekly export's 投诉处置 sheet: hotline complaints received or closed in the week and how they were
handled. Never the complainant's name or phone: ``complaints.queries.period_rows`` does not select them."""
from __future__ import annotations

from collections.abc import Iterator

from inspect_app.complaints.models import CATEGORIES, CHANNELS
from inspect_app.complaints.queries import period_rows
from inspect_app.complaints.rules import handled_late
from inspect_app.core.timeutil import as_utc
from inspect_app.exports.queries import ExportContext, load_lookups, local_naive, stream
from inspect_app.exports.sheet_spec import ZH, Sheet, texts, zh
from inspect_app.exports.sheet_spec import Column as C
from inspect_app.scoring.labels import grade_label


def complaint_rows(ctx: ExportContext) -> Iterator[tuple]:
    """One row per complaint received or closed in the week, by received time."""
    look = load_lookups()
    category_text, unmatched = texts("complaint_category_", CATEGORIES), zh("export_complaint_unmatched")
    channel_text = texts("export_channel_", CHANNELS)
    yes, no = zh("export_yes"), zh("export_no")
    for (channel, ticket, received, category, address, unit_id, site_id, _status, due, answered, score, grade,
         vetoed, reply, closed) in stream(period_rows(ctx.start, ctx.end, ctx.user)):
        result = None if answered is None else zh(
            "export_complaint_result", grade=grade_label(grade, locale=ZH) or "—",
            score="—" if score is None else f"{score:g}") + (zh("export_complaint_vetoed") if vetoed else "")
        late = handled_late(as_utc(due) if due else None, as_utc(answered) if answered else None, ctx.now)
        yield (channel_text[channel], ticket, local_naive(received), category_text[category], address,
               look.units.get(unit_id), look.sites[site_id][0] if site_id is not None else unmatched,
               local_naive(due), local_naive(answered), result, reply, local_naive(closed), yes if late else no)


COMPLAINTS = Sheet("投诉处置", (
    C("export_col_channel", 12), C("export_col_ticket", 20), C("export_col_received_at", 17, "datetime"),
    C("export_col_category", 12), C("export_col_address", 30), C("export_col_unit", 16),
    C("export_col_matched_site", 30), C("export_col_due_at", 17, "datetime"),
    C("export_col_answered_at", 17, "datetime"), C("export_col_inspection_result", 18),
    C("export_col_reply", 40, "multiline"), C("export_col_closed_at", 17, "datetime"), C("export_col_overdue_yn", 8),
), complaint_rows)
