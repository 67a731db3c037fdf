"""Plate normalisation and validation (DOMAIN.md “Plates”): every accepted form and each refusal."""
import pytest

from inspect_app.core.errors import ValidationFailed
from inspect_app.trucks.plates import (PROVINCES, InvalidPlate, check_plate_colour, normalize_plate,
                                       validate_plate)


@pytest.mark.parametrize("text, plate, kind", [
    ("蒙A12345", "蒙A12345", "ordinary"),
    ("蒙AB1234", "蒙AB1234", "ordinary"),
    ("京N8H3K2", "京N8H3K2", "ordinary"),
    ("蒙AD12345", "蒙AD12345", "new_energy_small"),
    ("蒙AFA1234", "蒙AFA1234", "new_energy_small"),
    ("蒙A12345D", "蒙A12345D", "new_energy_large"),
    ("粤B12345F", "粤B12345F", "new_energy_large"),
    ("蒙A1234挂", "蒙A1234挂", "trailer"),
    ("蒙AB123挂", "蒙AB123挂", "trailer"),
    # people type plates every which way
    ("蒙a12345", "蒙A12345", "ordinary"),
    (" 蒙A 12345 ", "蒙A12345", "ordinary"),
    ("蒙A·12345", "蒙A12345", "ordinary"),
    ("蒙A-12345", "蒙A12345", "ordinary"),
    ("蒙A.1234挂", "蒙A1234挂", "trailer"),
    ("蒙Ａ１２３４５", "蒙A12345", "ordinary"),        # full-width letters and digits
    ("蒙ａｄ１２３４５", "蒙AD12345", "new_energy_small"),
    ("蒙\u3000A12345", "蒙A12345", "ordinary"),         # ideographic space
])
def test_valid_plates_are_normalised_and_classified(text, plate, kind):
    info = validate_plate(text)
    assert (info.plate, info.kind) == (plate, kind)
    assert info.province == plate[0] and info.office == plate[1]


def test_hohhot_plates_are_province_meng_office_a():
    info = validate_plate("蒙A12345")
    assert (info.province, info.office) == ("蒙", "A")


def test_all_31_mainland_provinces_are_accepted():
    assert len(PROVINCES) == 31
    for province in PROVINCES:
        assert validate_plate(f"{province}A12345").province == province


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("   ", "empty"),
    ("港A12345", "unknown_province"),     # Hong Kong is not a mainland province abbreviation
    ("台A12345", "unknown_province"),
    ("AA12345", "unknown_province"),
    ("蒙", "wrong_length"),
    ("蒙I12345", "letter_i_or_o"),          # I and O are never issued
    ("蒙O12345", "letter_i_or_o"),
    ("蒙A1234O", "letter_i_or_o"),
    ("蒙AI2345", "letter_i_or_o"),
    ("蒙1A2345", "bad_office_letter"),
    ("蒙A1234", "wrong_length"),            # too short
    ("蒙A1234567", "wrong_length"),         # too long
    ("蒙A123", "wrong_length"),
    ("蒙A1234学", "bad_serial"),             # learner plates are not muck trucks
    ("蒙A12#45", "bad_serial"),
    ("蒙AD1234D", "bad_new_energy"),        # large new energy: five digits THEN D
    ("蒙A1234DD", "bad_new_energy"),
    ("蒙AX12345", "bad_new_energy"),        # small new energy must start with D or F
    ("蒙AD1234A", "bad_new_energy"),        # … and end with four digits
    ("蒙A12345挂", "bad_trailer"),            # trailers have four before 挂
    ("蒙A123挂", "bad_trailer"),
])
def test_invalid_plates_are_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidPlate) as caught:
        validate_plate(text)
    assert caught.value.reason == reason
    assert caught.value.code == "invalid_plate"
    assert caught.value.status == 422
    assert isinstance(caught.value, ValidationFailed)


def test_invalid_plate_message_explains_the_expected_form(app):
    from inspect_app.core.i18n import translate

    with pytest.raises(InvalidPlate) as caught:
        validate_plate("蒙I12345")
    message = translate(caught.value.code, **caught.value.params)
    assert "蒙I12345" in message and "I 和 O" in message and "蒙A1234挂" in message


def test_normalize_plate_does_not_validate():
    assert normalize_plate("xyz-1") == "XYZ1"
    assert normalize_plate(None) == ""


@pytest.mark.parametrize("plate, colour, ok", [
    ("蒙A12345", "yellow", True),
    ("蒙A12345", "blue", True),
    ("蒙A12345", "other", True),
    ("蒙A12345", "green", False),          # green is reserved for new energy
    ("蒙A12345D", "yellow_green", True),
    ("蒙AD12345", "green", True),
    ("蒙A12345D", "yellow", False),
    ("蒙AD12345", "other", False),
])
def test_plate_colour_must_fit_the_plate_form(plate, colour, ok):
    info = validate_plate(plate)
    if ok:
        check_plate_colour(info, colour)
    else:
        with pytest.raises(ValidationFailed) as caught:
            check_plate_colour(info, colour)
        assert caught.value.code == "plate_colour_mismatch"


def test_default_colour_follows_the_plate_form():
    assert validate_plate("蒙A12345").default_colour == "yellow"
    assert validate_plate("蒙A1234挂").default_colour == "yellow"
    assert validate_plate("蒙A12345D").default_colour == "yellow_green"
    assert validate_plate("蒙AD12345").default_colour == "green"
