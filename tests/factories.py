"""Factory helpers for tests: users, sites, and logging in through the API."""
from __future__ import annotations

import itertools

from inspect_app.auth import operations as auth_ops
from inspect_app.extensions import db
from inspect_app.sites import operations as site_ops

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)

# A point inside 新华西路街道's demo area (WGS-84).
DEFAULT_LAT, DEFAULT_LON = 40.8200, 111.6500


def create_user(role: str = "inspector", units=("xinhuaxilu",), username: str | None = None,
                password: str = PASSWORD, display_name: str | None = None):
    """A committed user with the given role and units (codes or Chinese names)."""
    username = username or f"{role}{next(_seq)}"
    user = auth_ops.create_user(None, username=username, display_name=display_name or username,
                                role=role, password=password, units=list(units))
    db.session.commit()
    return user


def create_site(unit: str = "xinhuaxilu", lat: float = DEFAULT_LAT, lon: float = DEFAULT_LON,
                phase: str = "earthwork", name: str | None = None, **extra):
    """A committed active site."""
    data = {
        "name": name or f"测试工地{next(_seq)}",
        "contractor": extra.pop("contractor", "测试建设有限公司"),
        "unit": unit,
        "lat": lat,
        "lon": lon,
        "datum": extra.pop("datum", "WGS84"),
        "phase": phase,
        "geofence_radius_m": extra.pop("geofence_radius_m", 200.0),
        **extra,
    }
    site = site_ops.create_site(None, data)
    db.session.commit()
    return site


class AuthActions:
    """Log in through the real endpoint and hand back headers for later requests."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD):
        response = self._client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def headers(self, user_or_name, password: str = PASSWORD) -> dict:
        username = getattr(user_or_name, "username", user_or_name)
        return {"Authorization": f"Bearer {self.login(username, password)}"}

    def as_role(self, role: str, units=("xinhuaxilu",)) -> dict:
        """Create a user of ``role`` and return their Authorization headers."""
        return self.headers(create_user(role, units=units))


def xlsx_bytes(rows: list[list]) -> bytes:
    """A real XLSX workbook (openpyxl) whose first sheet holds ``rows``, as an import file."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
