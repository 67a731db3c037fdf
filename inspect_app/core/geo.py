"""Coordinate helpers: datum conversion (GCJ-02 <-> WGS-84) and distances.

Phones report WGS-84; coordinates copied from Amap/Tencent are GCJ-02. We store WGS-84 only and
convert at the edges. The GCJ-02 forward transform is the widely published public algorithm; the
inverse is found by fixed-point iteration to well under a metre.
"""
from __future__ import annotations

import math

from geopy.distance import geodesic

WGS84 = "WGS84"
GCJ02 = "GCJ02"
DATUMS = (WGS84, GCJ02)

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323


def _out_of_china(lat: float, lon: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """Shift a WGS-84 point to GCJ-02 (what Amap shows); points outside China are unchanged."""
    if _out_of_china(lat, lon):
        return lat, lon
    d_lat = _transform_lat(lon - 105.0, lat - 35.0)
    d_lon = _transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float, tolerance_deg: float = 1e-9) -> tuple[float, float]:
    """Invert :func:`wgs84_to_gcj02` by iteration (converges in a handful of steps)."""
    wgs_lat, wgs_lon = lat, lon
    for _ in range(30):
        g_lat, g_lon = wgs84_to_gcj02(wgs_lat, wgs_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        if abs(d_lat) < tolerance_deg and abs(d_lon) < tolerance_deg:
            break
        wgs_lat, wgs_lon = wgs_lat - d_lat, wgs_lon - d_lon
    return wgs_lat, wgs_lon


def to_wgs84(lat: float, lon: float, datum: str) -> tuple[float, float]:
    """Convert an incoming coordinate labelled with its datum to WGS-84."""
    if datum == WGS84:
        return lat, lon
    if datum == GCJ02:
        return gcj02_to_wgs84(lat, lon)
    raise ValueError(f"unknown datum {datum!r}")


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two WGS-84 (lat, lon) points."""
    return geodesic(a, b).meters


def planar_sort_key_factor(lat: float) -> float:
    """cos(lat): scales longitude differences so a squared-degree distance sorts like metres."""
    return math.cos(math.radians(lat))
