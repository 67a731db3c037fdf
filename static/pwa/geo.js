// WGS-84 → GCJ-02, the same public algorithm as inspect_app/core/geo.py (tested against it for Hohhot
// points in tests/browser/test_maps.py). Sites and phone fixes are WGS-84; Amap tiles are drawn in GCJ-02,
// so every marker is shifted with this before it is placed on them. Points outside China are unchanged.
const A = 6378245.0; // Krasovsky 1940 semi-major axis used by GCJ-02
const EE = 0.00669342162296594323;
const PI = Math.PI;

const outOfChina = (lat, lon) => !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);

function transformLat(x, y) {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  ret += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  ret += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  return ret;
}

function transformLon(x, y) {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  ret += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  ret += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  return ret;
}

// [lat, lon] in GCJ-02 for a WGS-84 point.
export function wgs84ToGcj02(lat, lon) {
  if (outOfChina(lat, lon)) return [lat, lon];
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = lat / 180.0 * PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
  dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
  return [lat + dLat, lon + dLon];
}

// The position to draw a WGS-84 point at on tiles of `datum` ('GCJ02' for Amap; anything else as is).
export function toTileDatum(lat, lon, datum) {
  return datum === 'GCJ02' ? wgs84ToGcj02(lat, lon) : [lat, lon];
}
