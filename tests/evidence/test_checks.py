"""Evidence flags: on site, accurate, fresh, not reused, clocks agreeing — and the exact edges of each rule."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from geopy.distance import geodesic

from inspect_app.core.geo import distance_m
from inspect_app.core.i18n import catalogue, translate
from inspect_app.evidence.checks import (
    FLAG_CODES,
    EvidenceConfig,
    GpsFix,
    PhotoEvidence,
    describe_flag,
    evidence_flags,
    location_flags,
    photo_flags,
)

SITE = (40.82012, 111.65003)
GEOFENCE = 300.0
STARTED = datetime(2026, 11, 29, 1, 30, tzinfo=timezone.utc)  # 09:30 in Hohhot
RECEIVED = datetime(2026, 11, 29, 1, 50, tzinfo=timezone.utc)
CONFIG = EvidenceConfig(freshness_margin_minutes=30, clock_skew_tolerance_minutes=10, low_accuracy_m=100)


def point_at(metres: float, bearing: float = 45.0) -> tuple[float, float]:
    destination = geodesic(meters=metres).destination(SITE, bearing)
    return destination.latitude, destination.longitude


def on_site_fix(**overrides) -> GpsFix:
    values = {"lat": SITE[0], "lon": SITE[1], "accuracy_m": 8.0, "at": RECEIVED}
    return GpsFix(**{**values, **overrides})


def fresh_photo(photo_id=1, **overrides) -> PhotoEvidence:
    values = {"photo_id": photo_id, "sha256": f"{photo_id:064x}", "taken_at": STARTED + timedelta(minutes=5),
              "lat": SITE[0], "lon": SITE[1]}
    return PhotoEvidence(**{**values, **overrides})


def flags_for(**overrides) -> list[dict]:
    arguments = {
        "site_lat": SITE[0], "site_lon": SITE[1], "geofence_m": GEOFENCE,
        "gps_start": on_site_fix(at=STARTED), "gps_finish": on_site_fix(), "started_at": STARTED,
        "received_at": RECEIVED, "photos": [fresh_photo()], "other_inspection_hashes": {},
        "live_upload": True, "config": CONFIG,
    }
    return evidence_flags(**{**arguments, **overrides})


def codes(flags) -> list[str]:
    return [flag["code"] for flag in flags]


def test_honest_inspection_on_site_with_fresh_photos_raises_no_flags():
    assert flags_for() == []


# --- device position -------------------------------------------------------------------------


def test_device_far_from_the_site_is_flagged_off_site_with_the_distance():
    far = point_at(1200)
    flags = flags_for(gps_finish=on_site_fix(lat=far[0], lon=far[1]))
    assert codes(flags) == ["off_site"]
    assert flags[0]["details"]["which"] == "finish"
    assert flags[0]["details"]["distance_m"] == 1200
    assert flags[0]["details"]["geofence_m"] == 300
    assert "photo_id" not in flags[0]


def test_device_exactly_at_the_geofence_is_not_off_site_but_just_beyond_is():
    edge = point_at(GEOFENCE)
    exact = distance_m(SITE, edge)
    fix = on_site_fix(lat=edge[0], lon=edge[1])
    assert flags_for(gps_start=fix, geofence_m=exact) == []
    assert codes(flags_for(gps_start=fix, geofence_m=exact - 0.01)) == ["off_site"]


def test_both_start_and_finish_off_site_give_two_flags():
    far = point_at(800)
    fix = on_site_fix(lat=far[0], lon=far[1])
    flags = flags_for(gps_start=fix, gps_finish=fix)
    assert [(f["code"], f["details"]["which"]) for f in flags] == [("off_site", "start"), ("off_site", "finish")]


@pytest.mark.parametrize("accuracy, flagged", [(8.0, False), (100.0, False), (100.1, True), (1500.0, True)])
def test_accuracy_worse_than_100_metres_is_flagged(accuracy, flagged):
    flags = flags_for(gps_start=on_site_fix(accuracy_m=accuracy))
    assert codes(flags) == (["low_accuracy"] if flagged else [])
    if flagged:
        assert flags[0]["details"] == {"which": "start", "accuracy_m": accuracy, "limit_m": 100}


def test_accuracy_limit_is_configurable():
    config = EvidenceConfig.from_mapping({"LOW_ACCURACY_METRES": 30.0})
    assert codes(flags_for(gps_start=on_site_fix(accuracy_m=50.0), config=config)) == ["low_accuracy"]


def test_unknown_accuracy_is_not_flagged_as_low():
    assert flags_for(gps_start=on_site_fix(accuracy_m=None)) == []


def test_inspection_without_any_device_position_is_flagged():
    flags = flags_for(gps_start=None, gps_finish=None)
    assert codes(flags) == ["no_position"]


def test_only_a_start_position_is_enough():
    assert flags_for(gps_finish=None) == []


# --- photo freshness -------------------------------------------------------------------------


def test_photo_without_capture_time_is_not_fresh():
    flags = flags_for(photos=[fresh_photo(7, taken_at=None)])
    assert flags == [{"code": "photo_not_fresh", "photo_id": 7, "details": {"reason": "no_capture_time"}}]


def test_gallery_photo_from_yesterday_is_not_fresh():
    flags = flags_for(photos=[fresh_photo(3, taken_at=STARTED - timedelta(days=1))])
    assert codes(flags) == ["photo_not_fresh"]
    assert flags[0]["photo_id"] == 3
    assert flags[0]["details"]["reason"] == "before_start"
    assert flags[0]["details"]["margin_minutes"] == 30


def test_photo_taken_exactly_at_the_margin_before_start_is_fresh_one_second_earlier_is_not():
    at_margin = STARTED - timedelta(minutes=30)
    assert flags_for(photos=[fresh_photo(taken_at=at_margin)]) == []
    earlier = at_margin - timedelta(seconds=1)
    assert codes(flags_for(photos=[fresh_photo(taken_at=earlier)])) == ["photo_not_fresh"]


def test_freshness_margin_is_configurable_in_minutes():
    config = EvidenceConfig.from_mapping({"PHOTO_FRESHNESS_MARGIN_MINUTES": 5})
    photo = fresh_photo(taken_at=STARTED - timedelta(minutes=10))
    assert codes(flags_for(photos=[photo], config=config)) == ["photo_not_fresh"]
    assert flags_for(photos=[photo], config=CONFIG) == []


def test_photo_time_compares_across_time_zones():
    beijing = timezone(timedelta(hours=8))
    photo = fresh_photo(taken_at=datetime(2026, 11, 29, 9, 35, tzinfo=beijing))  # 01:35 UTC, after start
    assert flags_for(photos=[photo]) == []


def test_photo_dated_after_the_server_received_it_is_not_fresh():
    photo = fresh_photo(taken_at=RECEIVED + timedelta(hours=2))
    flags = flags_for(photos=[photo])
    assert codes(flags) == ["photo_not_fresh"]
    assert flags[0]["details"]["reason"] == "after_received"
    assert flags_for(photos=[fresh_photo(taken_at=RECEIVED + timedelta(minutes=10))]) == []


# --- photo position and reuse ----------------------------------------------------------------


def test_photo_taken_off_site_is_flagged_with_its_distance():
    far = point_at(2500, bearing=200)
    flags = flags_for(photos=[fresh_photo(9, lat=far[0], lon=far[1])])
    assert flags == [{"code": "photo_off_site", "photo_id": 9,
                      "details": {"distance_m": 2500, "geofence_m": 300}}]


def test_photo_exactly_at_the_geofence_is_on_site():
    edge = point_at(GEOFENCE, bearing=300)
    exact = distance_m(SITE, edge)
    photo = fresh_photo(lat=edge[0], lon=edge[1])
    assert flags_for(photos=[photo], geofence_m=exact) == []
    assert codes(flags_for(photos=[photo], geofence_m=exact - 0.01)) == ["photo_off_site"]


def test_photo_without_exif_position_is_not_flagged_off_site():
    # iOS Safari strips the location from uploaded photos; absence is not evidence of anything.
    assert flags_for(photos=[fresh_photo(lat=None, lon=None)]) == []


def test_photo_already_used_in_another_inspection_is_flagged_as_reused():
    photo = fresh_photo(4)
    flags = flags_for(photos=[photo, fresh_photo(5)], other_inspection_hashes={photo.sha256: 77})
    assert flags == [{"code": "reused_photo", "photo_id": 4, "details": {"other_inspection_id": 77}}]


def test_reused_photo_check_accepts_a_plain_set_of_hashes():
    photo = fresh_photo(4)
    flags = flags_for(photos=[photo], other_inspection_hashes={photo.sha256})
    assert flags == [{"code": "reused_photo", "photo_id": 4, "details": {}}]


# --- clocks ----------------------------------------------------------------------------------


def test_live_upload_with_device_clock_far_off_is_flagged_as_clock_skew():
    flags = flags_for(finished_at=RECEIVED - timedelta(minutes=45))
    assert codes(flags) == ["clock_skew"]
    assert flags[0]["details"]["skew_minutes"] == 45.0
    assert flags[0]["details"]["tolerance_minutes"] == 10


def test_clock_skew_exactly_at_the_tolerance_is_accepted_beyond_it_is_not():
    assert flags_for(finished_at=RECEIVED + timedelta(minutes=10)) == []
    assert codes(flags_for(finished_at=RECEIVED + timedelta(minutes=10, seconds=1))) == ["clock_skew"]


def test_device_finish_time_falls_back_to_the_finish_fix_timestamp():
    flags = flags_for(gps_finish=on_site_fix(at=RECEIVED - timedelta(hours=3)))
    assert codes(flags) == ["clock_skew"]


def test_upload_queued_offline_is_never_flagged_for_clock_skew():
    # A phone that was offline sends hours later: the gap is the queue, not a wrong clock.
    assert flags_for(finished_at=RECEIVED - timedelta(hours=5), live_upload=False) == []


def test_clock_skew_tolerance_comes_from_app_config():
    config = {"CLOCK_SKEW_TOLERANCE_MINUTES": 60, "PHOTO_FRESHNESS_MARGIN_MINUTES": 30,
              "LOW_ACCURACY_METRES": 100.0}
    assert flags_for(finished_at=RECEIVED - timedelta(minutes=45), config=config) == []


# --- wording ---------------------------------------------------------------------------------


def test_every_flag_code_has_chinese_and_english_wording():
    messages = catalogue()
    for code in FLAG_CODES:
        zh, en = messages[f"flag_{code}"]
        assert zh and en


def test_off_site_flag_reads_as_a_sentence_with_the_distance():
    far = point_at(1200)
    flag = flags_for(gps_finish=on_site_fix(lat=far[0], lon=far[1]))[0]
    assert describe_flag(flag, "zh-CN") == "设备位置距工地 1.2 公里，超出 300 米围栏。"
    assert describe_flag(flag, "en") == "The device was 1.2 km from the site, outside the 300 m geofence."


def test_stale_photo_flag_shows_beijing_times():
    flag = flags_for(photos=[fresh_photo(taken_at=datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc))])[0]
    text = describe_flag(flag, "zh-CN")
    assert "2026-11-28 10:00" in text and "2026-11-29 09:30" in text


def test_missing_capture_time_has_its_own_wording():
    flag = flags_for(photos=[fresh_photo(taken_at=None)])[0]
    assert "EXIF" in describe_flag(flag, "en")
    assert "{" not in describe_flag(flag, "zh-CN")


@pytest.mark.parametrize("overrides", [
    {"gps_start": None, "gps_finish": None},
    {"gps_start": on_site_fix(accuracy_m=500.0)},
    {"photos": [fresh_photo(taken_at=STARTED - timedelta(days=2))]},
    {"photos": [fresh_photo(taken_at=RECEIVED + timedelta(days=2))]},
    {"photos": [fresh_photo(lat=41.5, lon=112.0)]},
    {"other_inspection_hashes": {fresh_photo().sha256: 2}},
    {"finished_at": RECEIVED - timedelta(hours=1)},
], ids=["no-position", "accuracy", "stale", "future", "photo-off-site", "reused", "clock"])
def test_every_flag_message_is_fully_filled_in_both_languages(overrides):
    flags = flags_for(**overrides)
    assert flags
    for flag in flags:
        for locale in ("zh-CN", "en"):
            text = describe_flag(flag, locale)
            assert "{" not in text and not text.startswith("flag_")


# --- the per-step entry points the upload and submission operations call ----------------------


def test_location_flags_take_plain_dicts_and_short_config_keys():
    far = point_at(900)
    flags = location_flags(site=SITE, geofence_m=GEOFENCE,
                           gps_start={"lat": far[0], "lon": far[1], "accuracy_m": 150.0}, gps_finish=None,
                           finished_at=RECEIVED, received_at=RECEIVED,
                           config={"low_accuracy_m": 200.0, "freshness_margin_minutes": 30,
                                   "clock_skew_minutes": 10})
    assert codes(flags) == ["off_site"]


def test_inspection_without_a_site_gets_no_geofence_flags_but_still_no_position():
    assert location_flags(site=None, geofence_m=None, gps_start=on_site_fix(), gps_finish=None,
                          config=None) == []
    assert codes(location_flags(site=None, geofence_m=None, gps_start=None, gps_finish=None,
                                config=None)) == ["no_position"]


def test_when_upload_mode_is_unknown_only_a_device_clock_running_ahead_is_skew():
    behind = location_flags(site=SITE, geofence_m=GEOFENCE, gps_start=on_site_fix(), gps_finish=None,
                            finished_at=RECEIVED - timedelta(hours=3), received_at=RECEIVED, config=CONFIG)
    assert behind == []  # could simply have waited in the offline queue
    ahead = location_flags(site=SITE, geofence_m=GEOFENCE, gps_start=on_site_fix(), gps_finish=None,
                           finished_at=RECEIVED + timedelta(minutes=11), received_at=RECEIVED, config=CONFIG)
    assert codes(ahead) == ["clock_skew"]
    assert ahead[0]["details"]["skew_minutes"] == -11.0


def test_photo_flags_for_one_uploaded_photo():
    far = point_at(5000)
    flags = photo_flags(photo_id="p-1", taken_at=None, exif_gps=far, started_at=STARTED, site=SITE,
                        geofence_m=GEOFENCE, reused=True, config=CONFIG)
    assert codes(flags) == ["photo_not_fresh", "photo_off_site", "reused_photo"]
    assert {flag["photo_id"] for flag in flags} == {"p-1"}
    assert photo_flags(photo_id="p-2", taken_at=STARTED, exif_gps=far, started_at=STARTED, site=None,
                       geofence_m=None, config=None) == []


def test_reading_a_flag_by_its_code_alone_never_shows_placeholders():
    # A reader that only translates "flag_<code>" with the details still gets a whole sentence.
    for overrides in ({"photos": [fresh_photo(taken_at=None)]},
                      {"photos": [fresh_photo(taken_at=STARTED - timedelta(days=1))]},
                      {"photos": [fresh_photo(taken_at=RECEIVED + timedelta(days=1))]}):
        flag = flags_for(**overrides)[0]
        for locale in ("zh-CN", "en"):
            assert "{" not in translate(f"flag_{flag['code']}", locale, **flag["details"])


def test_an_annotated_copy_is_flagged_as_a_copy_not_as_a_photo_without_capture_time():
    from inspect_app.evidence.checks import photo_flags

    flags = photo_flags(photo_id="copy", taken_at=None, exif_gps=None, started_at=datetime(2026, 11, 25, 1, 30,
                        tzinfo=timezone.utc), site=(40.8, 111.6), geofence_m=200, annotates="orig")
    assert flags == [{"code": "annotated_copy", "photo_id": "copy", "details": {"original": "orig"}}]
    lone = photo_flags(photo_id="lone", taken_at=None, exif_gps=None, started_at=datetime(2026, 11, 25, 1, 30,
                       tzinfo=timezone.utc), site=(40.8, 111.6), geofence_m=200)
    assert [f["details"].get("reason") for f in lone] == ["no_capture_time"]
