"""The rules a checklist file must follow, as marshmallow schemas (used by ``loader.py``).

TOML has real types, so the fields are strict: a weight written as "15" (text) is a mistake, not a
number. Error messages are problem codes (``code|value|detail``) that the loader translates.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.alerts.models import ALERT_LEVELS
from inspect_app.checklists.models import CHECKLIST_KINDS
from inspect_app.sites.models import PHASES, SITE_STATUSES

ALL_PHASES = "all"
# 区城管执法局 | 区交管队 (overload on a weighed load) | 区住建局 | 生态环境分局 (ozone-hour bans, 大气法 第一百零八条).
# Only the bureau decides cases in this system; a failure of another authority's item is referred out.
AUTHORITIES = ("bureau", "traffic_police", "housing", "ecology")
# Who must rectify and is named on a notice: 施工单位 | 建设单位 | 运输单位 | 驾驶人. "none": an
# observation about the surroundings (e.g. haul roads, a duty of government and road owners): no
# liable site party, no violation, no notice, no case.
LIABLE_PARTIES = ("contractor", "builder", "haulier", "driver", "none")
OBSERVATION = "none"
# A party's kind decides the range where a law fines units and individuals differently (139号令 第二十六条).
INDIVIDUAL_PARTIES = ("driver",)
# Conditions a concurrent provision or a stop-work order depends on (penalties.rules case reasons).
PROVISION_CONDITIONS = ("overdue_refail",)
STOP_WORK_CONDITIONS = ("refuses_to_correct",)  # 大气法 第一百一十五条: 拒不改正的，责令停工整治
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
SOURCE_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DATE_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # MM-DD
TIME_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"  # HH:MM, 24:00 = end of day


class _Codes:
    default_error_messages = {"required": "checklist_missing_key", "null": "checklist_missing_key"}


class Text(_Codes, fields.String):
    default_error_messages = {"invalid": "checklist_not_a_string"}


class Number(_Codes, fields.Float):
    default_error_messages = {"invalid": "checklist_not_a_number", "special": "checklist_not_a_number"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class WholeNumber(_Codes, fields.Integer):
    default_error_messages = {"invalid": "checklist_not_an_integer"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(_Codes, fields.Boolean):
    default_error_messages = {"invalid": "checklist_not_a_boolean"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class TextList(_Codes, fields.List):
    default_error_messages = {"invalid": "checklist_not_a_list"}


class Table(_Codes, fields.Nested):
    default_error_messages = {"type": "checklist_not_a_table"}


def _range(lo, hi, *, min_inclusive=True):
    return validate.Range(min=lo, max=hi, min_inclusive=min_inclusive,
                          error="checklist_out_of_range||" + ("[" if min_inclusive else "(") + "{min}, {max}]")


def _pattern(regex: str):
    return validate.Regexp(regex, error=f"checklist_bad_format|{{input}}|{regex}")


class _StrictSchema(Schema):
    error_messages = {"unknown": "checklist_unknown_field", "type": "checklist_not_a_table"}


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _month_day(mmdd: str) -> tuple[int, int]:
    month, day = mmdd.split("-")
    return int(month), int(day)


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 Feb allowed


class WindowSchema(_StrictSchema):
    """A seasonal window: dates inclusive (MM-DD), hours [start_time, end_time) Asia/Shanghai.

    Hours may wrap midnight (夜间 22:00–06:00: an end before the start); an empty window (end = start)
    is refused, as are dates that wrap the year.
    """

    start = Text(validate=_pattern(DATE_PATTERN))
    end = Text(validate=_pattern(DATE_PATTERN))
    start_time = Text(validate=_pattern(TIME_PATTERN))
    end_time = Text(validate=_pattern(TIME_PATTERN))

    @validates_schema
    def check_order(self, data, **kwargs):
        has_dates, has_times = ("start" in data, "end" in data), ("start_time" in data, "end_time" in data)
        if len(set(has_dates)) > 1 or len(set(has_times)) > 1 or not (any(has_dates) or any(has_times)):
            raise ValidationError("checklist_window_incomplete")
        if all(has_dates):
            for name in ("start", "end"):
                month, day = _month_day(data[name])
                if day > _DAYS_IN_MONTH[month - 1]:
                    raise ValidationError(f"checklist_bad_format|{data[name]}|MM-DD", name)
            if _month_day(data["end"]) < _month_day(data["start"]):
                raise ValidationError("checklist_window_end_before_start", "end")
        if all(has_times):
            if data["start_time"] == "24:00":
                raise ValidationError(f"checklist_bad_format|{data['start_time']}|HH:MM", "start_time")
            if _minutes(data["end_time"]) == _minutes(data["start_time"]):
                raise ValidationError("checklist_window_empty", "end_time")


def _check_fine_range(data: dict, prefix: str = "") -> None:
    low, high = data.get(f"{prefix}fine_min"), data.get(f"{prefix}fine_max")
    if (low is None) != (high is None):
        raise ValidationError("checklist_fine_range_incomplete", f"{prefix}fine_min" if low is None
                              else f"{prefix}fine_max")
    if low is not None and low > high:
        raise ValidationError("checklist_fine_min_above_max", f"{prefix}fine_min")


class ProvisionSchema(_StrictSchema):
    """A second provision the same act also breaks (《行政处罚法》第二十九条: fined once, under the higher)."""

    law = Text(required=True, validate=validate.Length(min=1, max=200))
    obligation_article = Text(load_default=None, validate=validate.Length(min=1, max=60))
    penalty_article = Text(required=True, validate=validate.Length(min=1, max=60))
    fine_min = WholeNumber(required=True, validate=_range(0, 10_000_000))  # CNY, for units (or anyone)
    fine_max = WholeNumber(required=True, validate=_range(0, 10_000_000))
    individual_fine_min = WholeNumber(load_default=None, validate=_range(0, 10_000_000))
    individual_fine_max = WholeNumber(load_default=None, validate=_range(0, 10_000_000))
    # "units": the provision fines units only (139号令 第二十三条: 处置建筑垃圾的单位), never an individual.
    applies_to = Text(load_default="all", validate=validate.OneOf(
        ("all", "units"), error="checklist_unknown_condition|{input}"))
    # Only when the case shows this (e.g. overdue_refail: 未及时清运 once the deadline has passed).
    applies_when = Text(load_default=None, validate=validate.OneOf(
        PROVISION_CONDITIONS, error="checklist_unknown_condition|{input}"))
    unverified = Flag(load_default=False)  # not yet confirmed in a primary source
    note_zh = Text(load_default=None, validate=validate.Length(max=500))
    note_en = Text(load_default=None, validate=validate.Length(max=500))

    @validates_schema
    def fine_range(self, data, **kwargs):
        _check_fine_range(data)
        _check_fine_range(data, "individual_")


class LegalBasisSchema(_StrictSchema):
    """Which law obliges, which article punishes, the fine range and who enforces it.

    No penalty article and no range: an order to correct (责令改正) only, never a fine (e.g. papers
    not carried). No range: the bureau has none to apply (another authority's item, e.g. ozone-hour
    bans for 生态环境). ``individual_fine_*``: the range for an individual where the law sets one
    apart from the units' (139号令 第二十六条: ≤ 200 元). ``concurrent``: other provisions the same
    act breaks. ``unverified``: an article not yet confirmed in a primary source.
    """

    law = Text(required=True, validate=validate.Length(min=1, max=200))
    obligation_article = Text(required=True, validate=validate.Length(min=1, max=60))
    penalty_article = Text(load_default=None, validate=validate.Length(min=1, max=60))
    fine_min = WholeNumber(load_default=None, validate=_range(0, 10_000_000))  # CNY
    fine_max = WholeNumber(load_default=None, validate=_range(0, 10_000_000))
    individual_fine_min = WholeNumber(load_default=None, validate=_range(0, 10_000_000))
    individual_fine_max = WholeNumber(load_default=None, validate=_range(0, 10_000_000))
    authority = Text(required=True, validate=validate.OneOf(
        AUTHORITIES, error="checklist_unknown_authority|{input}"))
    stop_work = Text(load_default=None, validate=validate.OneOf(
        STOP_WORK_CONDITIONS, error="checklist_unknown_condition|{input}"))
    concurrent = TextList(Table(ProvisionSchema), load_default=list)
    unverified = Flag(load_default=False)
    note_zh = Text(load_default=None, validate=validate.Length(max=500))
    note_en = Text(load_default=None, validate=validate.Length(max=500))

    @validates_schema
    def fine_range(self, data, **kwargs):
        _check_fine_range(data)
        _check_fine_range(data, "individual_")
        if data.get("fine_min") is not None and not data.get("penalty_article"):
            raise ValidationError("checklist_fine_without_article", "penalty_article")


class ItemSchema(_StrictSchema):
    """One requirement of a checklist file."""

    key = Text(required=True, validate=[validate.Length(max=60), _pattern(KEY_PATTERN)])
    requirement = Text(required=True, validate=[validate.Length(max=60), _pattern(KEY_PATTERN)])
    text_zh = Text(required=True, validate=validate.Length(min=1, max=500))
    text_en = Text(required=True, validate=validate.Length(min=1, max=500))
    clause = Text(required=True, validate=validate.Length(min=1, max=200))
    # The item's sentence quoted verbatim from its source document (e.g. the plan's ①–⑧), kept
    # with the item so tests can check the wording without the document beside the repository.
    source_text = Text(load_default=None, validate=validate.Length(min=1, max=1000))
    weight = Number(required=True, validate=_range(0, 100, min_inclusive=False))
    veto = Flag(required=True)  # required: every veto choice is explicit (and commented)
    photos_on_fail = WholeNumber(required=True, validate=_range(0, 5))
    phases = TextList(Text(validate=validate.OneOf(
        (*PHASES, ALL_PHASES), error="checklist_unknown_phase|{input}")), required=True)
    rectify_days = WholeNumber(required=True, validate=_range(0, 90))
    # required: the party a notice (整改通知书) is addressed to is a legal choice, made per item
    liable = Text(required=True, validate=validate.OneOf(
        LIABLE_PARTIES, error="checklist_unknown_liable|{input}"))
    window = Table(WindowSchema, load_default=None)
    # Asked only at sites in one of these statuses (e.g. ["suspended"] for the 停工 check of a site
    # under a stop-work order); absent: asked whatever the site's status.
    site_statuses = TextList(Text(validate=validate.OneOf(
        SITE_STATUSES, error="checklist_unknown_site_status|{input}")), load_default=None)
    # Asked only while an alert of one of these levels binds the site's unit (the district, for a
    # truck) at the inspection's start — 重污染天气预警 responses (plan clause 14); absent: any time.
    alert = TextList(Text(validate=validate.OneOf(
        ALERT_LEVELS, error="checklist_unknown_alert_level|{input}")), load_default=None)
    legal_basis = Table(LegalBasisSchema, required=True)

    @validates_schema
    def alert_levels_listed(self, data, **kwargs):
        levels = data.get("alert")
        if levels is not None and (not levels or len(set(levels)) != len(levels)):
            raise ValidationError("checklist_alert_levels_empty_or_repeated", "alert")

    @validates_schema
    def phases_present(self, data, **kwargs):
        if "phases" in data and not data["phases"]:
            raise ValidationError("checklist_phases_empty", "phases")

    @validates_schema
    def observation_is_not_punished(self, data, **kwargs):
        # An observation names no liable party: it can neither veto a sheet nor carry a fine.
        basis = data.get("legal_basis") or {}
        if data.get("liable") == OBSERVATION and (data.get("veto") or basis.get("penalty_article")):
            raise ValidationError("checklist_observation_punished", "liable")


class SourceSchema(_StrictSchema):
    """The ``[source]`` table: which document the file transcribes and which form it feeds."""

    key = Text(required=True, validate=[validate.Length(max=40), _pattern(SOURCE_KEY_PATTERN)])
    kind = Text(required=True, validate=validate.OneOf(CHECKLIST_KINDS, error="checklist_bad_kind|{input}"))
    order = WholeNumber(load_default=100, validate=_range(0, 10_000))
    title_zh = Text(required=True, validate=validate.Length(min=1, max=120))
    title_en = Text(required=True, validate=validate.Length(min=1, max=120))
    clause = Text(required=True, validate=validate.Length(min=1, max=200))
    window = Table(WindowSchema, load_default=None)


class ChecklistFileSchema(_StrictSchema):
    source = Table(SourceSchema, required=True)
    items = TextList(Table(ItemSchema), required=True)
