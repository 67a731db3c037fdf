"""Datum conversion and distances: site coordinates copied from Amap (GCJ-02) must land within a
metre of where a phone's GPS (WGS-84) puts the same spot, or geofence checks would be off by
hundreds of metres."""
from __future__ import annotations

import pytest
from geopy.distance import geodesic

from inspect_app.core.geo import (
    GCJ02,
    WGS84,
    distance_m,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

# Published reference pairs (wgs_lat, wgs_lon, gcj_lat, gcj_lon) from well-known implementations'
# own test files:
# - googollee/eviltransform, go/transform_test.go and python/test.py (Shanghai, Shenzhen, Beijing);
# - wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915) ->
#   [116.41024449916938, 39.91640428150164] (that library orders lon, lat).
REFERENCE_PAIRS = [
    pytest.param(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215, id="shanghai"),
    pytest.param(22.543847, 113.912316, 22.540796131694766, 113.9171764808363, id="shenzhen"),
    pytest.param(39.911954, 116.377817, 39.91334545536069, 116.38404722455657, id="beijing"),
    pytest.param(39.915, 116.404, 39.91640428150164, 116.41024449916938, id="beijing-coordtransform"),
]

# DOMAIN.md: 回民区 spans about 111.436–111.669 E, 40.788–40.948 N.
DISTRICT_LAT = (40.788, 40.948)
DISTRICT_LON = (111.436, 111.669)


def _grid(steps: int = 12):
    for i in range(steps + 1):
        for j in range(steps + 1):
            lat = DISTRICT_LAT[0] + (DISTRICT_LAT[1] - DISTRICT_LAT[0]) * i / steps
            lon = DISTRICT_LON[0] + (DISTRICT_LON[1] - DISTRICT_LON[0]) * j / steps
            yield lat, lon


@pytest.mark.parametrize("wgs_lat, wgs_lon, gcj_lat, gcj_lon", REFERENCE_PAIRS)
def test_wgs84_to_gcj02_matches_published_reference_points(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    got = wgs84_to_gcj02(wgs_lat, wgs_lon)
    assert geodesic(got, (gcj_lat, gcj_lon)).meters < 0.01


@pytest.mark.parametrize("wgs_lat, wgs_lon, gcj_lat, gcj_lon", REFERENCE_PAIRS)
def test_gcj02_to_wgs84_recovers_published_reference_points_within_a_metre(
        wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    got = gcj02_to_wgs84(gcj_lat, gcj_lon)
    assert geodesic(got, (wgs_lat, wgs_lon)).meters < 1.0
    assert geodesic(to_wgs84(gcj_lat, gcj_lon, GCJ02), (wgs_lat, wgs_lon)).meters < 1.0


def test_round_trip_over_the_whole_district_is_exact_to_a_centimetre():
    worst = 0.0
    for lat, lon in _grid():
        back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
        worst = max(worst, geodesic(back, (lat, lon)).meters)
    assert worst < 0.01


def test_gcj02_point_converted_back_shifts_to_the_wgs84_spot_across_the_district():
    """Reading the grid as Amap (GCJ-02) coordinates: the inverse then forward lands on the input."""
    for lat, lon in _grid(8):
        wgs = gcj02_to_wgs84(lat, lon)
        assert geodesic(wgs84_to_gcj02(*wgs), (lat, lon)).meters < 0.01


def test_gcj02_offset_in_hohhot_is_a_few_hundred_metres():
    """Why the datum matters: mixing the two puts a site hundreds of metres off."""
    for lat, lon in _grid(4):
        offset = geodesic((lat, lon), wgs84_to_gcj02(lat, lon)).meters
        assert 200 < offset < 1000


@pytest.mark.parametrize("lat, lon", [
    (51.5007, -0.1246),   # London
    (35.6586, 139.7454),  # Tokyo (east of the GCJ-02 box)
    (-33.8568, 151.2153),  # Sydney
    (60.0, 100.0),        # Siberia, north of the box
])
def test_points_outside_china_are_unchanged(lat, lon):
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)
    assert to_wgs84(lat, lon, GCJ02) == (lat, lon)


def test_wgs84_input_is_passed_through():
    assert to_wgs84(40.82, 111.65, WGS84) == (40.82, 111.65)


@pytest.mark.parametrize("datum", ["BD09", "wgs84", "", None, "EPSG:4326"])
def test_unknown_datum_is_refused(datum):
    with pytest.raises(ValueError):
        to_wgs84(40.82, 111.65, datum)


def test_distance_is_geodesic_metres():
    a, b = (40.8200, 111.6500), (40.8300, 111.6600)
    assert distance_m(a, b) == pytest.approx(geodesic(a, b).meters, abs=1e-6)
    # 0.01 degree of latitude is about 1.11 km
    assert distance_m((40.82, 111.65), (40.83, 111.65)) == pytest.approx(1110.5, abs=5)
    assert distance_m(a, a) == 0
