"""Chinese licence plates (机动车号牌, GA 36): normalise what people type, validate the format.

Pure functions, no database. Forms accepted (DOMAIN.md "Plates"):

* ordinary 普通:  province + office letter + 5 letters/digits           蒙A12345
* trailer 挂车:   province + office letter + 4 letters/digits + 挂       蒙A1234挂
* new energy, large vehicle 大型新能源: five digits then D or F          蒙A12345D
* new energy, small vehicle 小型新能源: D or F, a letter or digit, 4 digits  蒙AD12345

Letters I and O are never issued (they read as 1 and 0). Special plates (警, 学, 使, 领, 港, 澳)
are not muck trucks and are refused.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from inspect_app.core.errors import ValidationFailed
from inspect_app.core.i18n import translate
from inspect_app.trucks import messages  # noqa: F401  (registers strings)

# The 31 mainland provincial-level abbreviations (省级行政区简称).
PROVINCES = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
assert len(PROVINCES) == 31

PLATE_KINDS = ("ordinary", "trailer", "new_energy_large", "new_energy_small")
PLATE_COLOURS = ("yellow", "green", "blue", "yellow_green", "other")
NEW_ENERGY_KINDS = ("new_energy_large", "new_energy_small")
NEW_ENERGY_COLOURS = ("green", "yellow_green")

# Muck trucks are large vehicles, so an ordinary plate defaults to yellow; new-energy large
# vehicles carry 黄绿双拼 plates, small ones gradient green.
DEFAULT_COLOUR = {
    "ordinary": "yellow",
    "trailer": "yellow",
    "new_energy_large": "yellow_green",
    "new_energy_small": "green",
}

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # A–Z without I and O
_SERIAL_CHAR = f"[{_LETTERS}0-9]"
_ORDINARY = re.compile(f"{_SERIAL_CHAR}{{5}}")
_TRAILER = re.compile(f"{_SERIAL_CHAR}{{4}}挂")
_NEW_ENERGY_LARGE = re.compile(r"[0-9]{5}[DF]")
_NEW_ENERGY_SMALL = re.compile(f"[DF]{_SERIAL_CHAR}[0-9]{{4}}")
# Separators people type or paste: spaces of any width, dots, middle dots, hyphens, dashes.
_SEPARATORS = re.compile(r"[\s.·•・‧。\-‐‑‒–—_]+")


class InvalidPlate(ValidationFailed):
    """The text is not a plate of any accepted form; ``reason`` says which rule it broke."""

    code = "invalid_plate"

    def __init__(self, plate: str, reason: str):
        super().__init__(details={"reason": reason, "plate": plate}, plate=plate,
                         reason=translate(f"plate_reason.{reason}"))
        self.reason = reason
        self.plate = plate


@dataclass(frozen=True)
class PlateInfo:
    """A valid, normalised plate and what it is made of."""

    plate: str
    province: str
    office: str
    kind: str

    @property
    def is_new_energy(self) -> bool:
        return self.kind in NEW_ENERGY_KINDS

    @property
    def default_colour(self) -> str:
        return DEFAULT_COLOUR[self.kind]


def normalize_plate(text: str | None) -> str:
    """Canonical form: full-width to half-width, separators removed, letters upper-case.

    ``" 蒙a·１２３４５ "`` → ``"蒙A12345"``. It does not validate; see :func:`validate_plate`.
    """
    if not text:
        return ""
    # NFKC folds full-width letters, digits, spaces and punctuation to ASCII; Han characters stay.
    folded = unicodedata.normalize("NFKC", str(text))
    return _SEPARATORS.sub("", folded).upper()


def validate_plate(text: str | None) -> PlateInfo:
    """Normalise and validate ``text``; raise :class:`InvalidPlate` saying what is wrong."""
    plate = normalize_plate(text)
    if not plate:
        raise InvalidPlate(plate, "empty")
    if plate[0] not in PROVINCES:
        raise InvalidPlate(plate, "unknown_province")
    if len(plate) < 2:
        raise InvalidPlate(plate, "wrong_length")
    office, serial = plate[1], plate[2:]
    if office in "IO":
        raise InvalidPlate(plate, "letter_i_or_o")
    if office not in _LETTERS:
        raise InvalidPlate(plate, "bad_office_letter")
    kind = _serial_kind(plate, serial)
    return PlateInfo(plate=plate, province=plate[0], office=office, kind=kind)


def _serial_kind(plate: str, serial: str) -> str:
    """Which form the part after the office letter has, or InvalidPlate."""
    if "I" in serial or "O" in serial:
        raise InvalidPlate(plate, "letter_i_or_o")
    if serial.endswith("挂"):
        if _TRAILER.fullmatch(serial):
            return "trailer"
        raise InvalidPlate(plate, "bad_trailer")
    if len(serial) == 5:
        if _ORDINARY.fullmatch(serial):
            return "ordinary"
        raise InvalidPlate(plate, "bad_serial")
    if len(serial) == 6:
        if _NEW_ENERGY_LARGE.fullmatch(serial):
            return "new_energy_large"
        if _NEW_ENERGY_SMALL.fullmatch(serial):
            return "new_energy_small"
        raise InvalidPlate(plate, "bad_new_energy")
    raise InvalidPlate(plate, "wrong_length")


def check_plate_colour(info: PlateInfo, colour: str) -> None:
    """Refuse a colour that contradicts the plate form (green is reserved for new energy)."""
    if colour == "other" and not info.is_new_energy:
        return
    if (colour in NEW_ENERGY_COLOURS) != info.is_new_energy:
        raise ValidationFailed("plate_colour_mismatch", plate=info.plate, colour=colour)
