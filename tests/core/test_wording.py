"""The one function that words evidence flags: Beijing time, m below 1 km and km above, both languages."""
from datetime import datetime, timezone

import pytest

from inspect_app.core.wording import distance_text, flag_text, time_text
from inspect_app.evidence import messages  # noqa: F401  (registers the flag_* wordings)


@pytest.mark.parametrize("metres, zh, en", [
    (0, "0 米", "0 m"),
    (35.4, "35 米", "35 m"),
    (766, "766 米", "766 m"),
    (999, "999 米", "999 m"),
    (999.4, "999 米", "999 m"),
    (999.6, "1 公里", "1 km"),  # rounds to 1000 m: never "1000 米"
    (1000, "1 公里", "1 km"),
    (1049, "1 公里", "1 km"),
    (1400, "1.4 公里", "1.4 km"),
    (12_345, "12.3 公里", "12.3 km"),
])
def test_distance_reads_in_metres_below_a_kilometre_and_in_kilometres_above(metres, zh, en):
    assert distance_text(metres, "zh-CN") == zh
    assert distance_text(metres, "en") == en


@pytest.mark.parametrize("value, local", [
    ("2022-08-14T11:12:00+00:00", "2022-08-14 19:12"),
    ("2022-08-14T16:05:00+00:00", "2022-08-15 00:05"),  # UTC evening is the next Beijing day
    ("2022-12-31T15:59:00+00:00", "2022-12-31 23:59"),
    ("2022-12-31T16:00:00+00:00", "2023-01-01 00:00"),  # across midnight and the year
    (datetime(2022, 8, 14, 11, 12, tzinfo=timezone.utc), "2022-08-14 19:12"),
    ("not a time", "not a time"),
])
def test_flag_times_read_in_beijing_time(value, local):
    assert time_text(value) == local


def test_off_site_flag_says_the_distance_as_people_say_it():
    flag = {"code": "off_site", "details": {"which": "finish", "distance_m": 766, "geofence_m": 200,
                                            "accuracy_m": 8.0}}
    assert flag_text(flag, "zh-CN") == "设备位置距工地 766 米，超出 200 米围栏。"
    far = {"code": "photo_off_site", "photo_id": "p1", "details": {"distance_m": 1400, "geofence_m": 200}}
    assert flag_text(far, "zh-CN") == "照片拍摄位置距工地 1.4 公里，超出 200 米围栏。"
    assert flag_text(far, "en") == "The photo was taken 1.4 km from the site, outside the 200 m geofence."


def test_stale_photo_flag_shows_local_times_never_iso():
    flag = {"code": "photo_not_fresh", "photo_id": "p1",
            "details": {"reason": "before_start", "taken_at": "2022-08-14T16:05:00+00:00",
                        "started_at": "2022-08-15T01:00:00+00:00", "margin_minutes": 30}}
    text = flag_text(flag, "zh-CN")
    assert "2022-08-15 00:05" in text and "2022-08-15 09:00" in text
    assert "T" not in text and "+00:00" not in text


def test_low_accuracy_flag_words_both_figures():
    flag = {"code": "low_accuracy", "details": {"which": "start", "accuracy_m": 1500.0, "limit_m": 100}}
    assert flag_text(flag, "en") == "Location accuracy was 1.5 km, worse than the required 100 m."
