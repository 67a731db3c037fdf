"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character.

Pure functions, no database. The code is 1 registration-authority character, 1 organisation-type
character, 6 digits of the administrative division, 9 characters of the organisation code and one
check character. Its alphabet is the digits and the capitals without I, O, Z, S and V (31 symbols,
each worth its position in :data:`ALPHABET`); the check character makes the weighted sum of all 18
values ≡ 0 (mod 31) with the weights 3^i mod 31. Clerks paste codes from 营业执照 scans and web pages,
so full-width characters, spaces and lower case are folded before checking.
"""
from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


class CreditCodeError(ValueError):
    """Why a code is refused: ``reason`` is one of length, character, division, check."""

    def __init__(self, reason: str, code: str, expected: str | None = None):
        super().__init__(reason)
        self.reason, self.code, self.expected = reason, code, expected


def normalise(text: str) -> str:
    """NFKC-folded (full-width → ASCII), without spaces or hyphens, upper case."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(folded.split()).replace("-", "").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must be in :data:`ALPHABET`)."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(text: str) -> str:
    """The normalised code if valid, else :class:`CreditCodeError` saying why."""
    code = normalise(text)
    if len(code) != LENGTH:
        raise CreditCodeError("length", code)
    bad = [char for char in code if char not in _VALUE]
    if bad:
        raise CreditCodeError("character", code, bad[0])
    if not code[2:8].isdigit():  # 登记管理机关行政区划码: six digits
        raise CreditCodeError("division", code)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError("check", code, expected)
    return code


def is_valid(text: str) -> bool:
    """Whether ``text`` is a valid code (after folding)."""
    try:
        validate_credit_code(text)
    except CreditCodeError:
        return False
    return True
