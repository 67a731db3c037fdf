"""What a sheet of the weekly export is: its columns (header, width, kind) and its row generator, and the
Chinese text every sheet writes. Kept apart from ``sheets`` so a feature's sheet can live in its own module."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from inspect_app.core.i18n import translate
from inspect_app.exports.queries import ExportContext

ZH = "zh-CN"  # the export is a document for the district office: always Chinese


@dataclass(frozen=True)
class Column:
    header: str  # message code of the header
    width: float  # Excel column width in characters (a CJK character counts about 2)
    kind: str = "text"  # text | multiline | int | float | money | tonnes | percent | datetime | link
    params: dict = field(default_factory=dict, compare=False)  # of the header message

    @property
    def title(self) -> str:
        """The header as the district reads it; a link cell shows it too (``照片2``)."""
        return translate(self.header, ZH, **self.params)


def photo_columns(count: int) -> tuple[Column, ...]:
    """照片1 … 照片N (at least one, so the header never depends on whether the week had photos)."""
    return tuple(Column("export_col_photo_n", 8, "link", {"n": n}) for n in range(1, max(count, 1) + 1))


@dataclass(frozen=True)
class Sheet:
    name: str  # worksheet title as the district names it (Excel limit: 31 characters)
    columns: tuple[Column, ...]
    rows: Callable[[ExportContext], Iterator[tuple]]
    photos: Callable[[ExportContext], int] | None = None  # the most photos a row has this week

    def layout(self, ctx: ExportContext | None) -> tuple[Column, ...]:
        """The columns of this export of the sheet: the fixed ones, then its photo columns."""
        if self.photos is None:
            return self.columns
        return self.columns + photo_columns(self.photos(ctx))

    def headers(self, ctx: ExportContext | None = None) -> list[str]:
        return [column.title for column in self.layout(ctx)]


def zh(code: str, **params) -> str:
    """A message in the export's language (always Chinese)."""
    return translate(code, ZH, **params)


def texts(prefix: str, values) -> dict[str, str]:
    """``value`` → its Chinese label, for the message codes ``prefix + value``."""
    return {value: zh(f"{prefix}{value}") for value in values}
