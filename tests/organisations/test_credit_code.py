"""The unified social credit code (GB 32100-2015) validator: real codes pass, every one-character
mutation of them fails, and what clerks paste (full-width, spaced, lower case) is folded first."""
from __future__ import annotations

import pytest

from inspect_app.organisations.credit_code import (ALPHABET, WEIGHTS, CreditCodeError, check_character,
                                                   is_valid, normalise, validate_credit_code)

# Codes as printed on business licences and listed in the national enterprise credit system; the
# first is the example of the standard's explanatory material.
REAL_CODES = (
    "91350100M000100Y43",
    "914403001922038216",
    "91330100716105852F",
    "91110000802100433B",
    "91110108551385082Q",
    "911100001000044477",
    "91440300708461136T",
)


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert validate_credit_code(code) == code
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_character_substitution_is_refused(code):
    """31 is prime and no weight is 0 mod 31, so any one wrong character changes the sum."""
    refused = 0
    for position in range(18):
        for char in ALPHABET:
            if char == code[position]:
                continue
            mutated = code[:position] + char + code[position + 1:]
            assert not is_valid(mutated), mutated
            refused += 1
    assert refused == 18 * 30


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_mutated_check_character_names_the_expected_one(code):
    wrong = ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
    with pytest.raises(CreditCodeError) as caught:
        validate_credit_code(code[:17] + wrong)
    assert caught.value.reason == "check" and caught.value.expected == code[17]


def test_pasted_forms_are_folded():
    assert normalise(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert validate_credit_code("91350100m000100y43") == "91350100M000100Y43"
    assert validate_credit_code("9135 0100 M000 100Y 43") == "91350100M000100Y43"


@pytest.mark.parametrize("text, reason", [
    ("", "length"),
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("91350100M000100I43", "character"),  # I, O, Z, S, V are never used
    ("91350100M000100O43", "character"),
    ("91350100S000100Y43", "character"),
    ("9135010*M000100Y43", "character"),
    ("9135A100M000100Y43", "division"),  # characters 3–8 are the division code, digits only
])
def test_malformed_codes_say_why(text, reason):
    with pytest.raises(CreditCodeError) as caught:
        validate_credit_code(text)
    assert caught.value.reason == reason


def test_generated_codes_round_trip():
    for body in ("91150103MA0N000000", "12150100011234567X", "52150100MJ0000000Y"):
        first17 = body[:17]
        code = first17 + check_character(first17)
        assert is_valid(code)
