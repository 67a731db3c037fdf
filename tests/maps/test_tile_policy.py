"""The tile URL is configuration, and the CSP's img-src allows exactly the hosts it names."""
from __future__ import annotations

import pytest

from inspect_app.core.security import map_tile_origins
from tests.core.scratch import scratch_app


def _img_src(app) -> set[str]:
    response = app.test_client().get("/app/")
    response.close()
    policy = response.headers["Content-Security-Policy"]
    part = next(p for p in policy.split(";") if p.strip().startswith("img-src"))
    return set(part.split()[1:])


@pytest.mark.parametrize("template, subdomains, origins", [
    ("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}", "1234",
     tuple(f"https://webrd0{n}.is.autonavi.com" for n in "1234")),
    ("https://tiles.example.cn:8443/{z}/{x}/{y}.png", "abc", ("https://tiles.example.cn:8443",)),
    ("http://{s}.tile.example.cn/{z}/{x}/{y}.png", "ab", ("http://a.tile.example.cn", "http://b.tile.example.cn")),
    ("/tiles/{z}/{x}/{y}.png", "", ()),  # served by this origin: 'self' covers it
    ("", "", ()),
])
def test_tile_origins_are_derived_from_the_template(template, subdomains, origins):
    assert map_tile_origins(template, subdomains) == origins


@pytest.mark.parametrize("template", [
    "https://evil.example.cn; script-src *", "javascript:alert(1)", "ftp://tiles.example.cn/{z}",
    "https://tiles example.cn/{z}", "//tiles.example.cn/{z}/{x}/{y}", "https://'unsafe-inline'/{z}",
])
def test_a_template_that_is_not_a_plain_http_host_refuses_to_start(template):
    with pytest.raises(RuntimeError, match="MAP_TILE_URL"):
        map_tile_origins(template, "1")


def test_a_configured_tile_host_is_allowed_as_images_and_nothing_else(tmp_path):
    with scratch_app(tmp_path, MAP_TILE_URL="https://t{s}.tiles.example.cn/{z}/{x}/{y}.png",
                     MAP_TILE_SUBDOMAINS="12") as app:
        assert _img_src(app) == {"'self'", "blob:", "data:", "https://t1.tiles.example.cn", "https://t2.tiles.example.cn"}
        response = app.test_client().get("/app/")
        response.close()
        assert "autonavi" not in response.headers["Content-Security-Policy"]
        assert "connect-src 'self';" in response.headers["Content-Security-Policy"]


def test_tiles_on_this_origin_add_no_host(tmp_path):
    with scratch_app(tmp_path, MAP_TILE_URL="/tiles/{z}/{x}/{y}.png") as app:
        assert _img_src(app) == {"'self'", "blob:", "data:"}


def test_the_tile_settings_reach_the_app_through_the_map_endpoint(tmp_path):
    from tests.factories import AuthActions, create_user

    with scratch_app(tmp_path, MAP_TILE_URL="https://t{s}.tiles.example.cn/{z}/{x}/{y}.png",
                     MAP_TILE_SUBDOMAINS="12", MAP_TILE_ATTRIBUTION="© 测试底图") as app:
        client = app.test_client()
        create_user("supervisor", username="mapsup")
        tiles = client.get("/api/map/sites", headers=AuthActions(client).headers("mapsup")).get_json()["tiles"]
        assert tiles == {"url": "https://t{s}.tiles.example.cn/{z}/{x}/{y}.png", "subdomains": "12",
                         "attribution": "© 测试底图", "datum": "GCJ02"}
