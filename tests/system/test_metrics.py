"""/metrics: the series an operator's dashboard needs, after real requests, and only for who may scrape."""
from __future__ import annotations

import re
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from inspect_app.system.monitoring import parse_networks
from tests import factories
from tests.evidence.uploads import fresh_jpeg, put
from tests.inspections.helpers import plain_key, site_form, submission

TOKEN = "scrape-" + uuid.uuid4().hex


@pytest.fixture
def metrics_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "METRICS_ALLOW_CIDRS", "")
    return {"Authorization": f"Bearer {TOKEN}"}


def scrape(client, headers) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_per_endpoint_name_and_status_never_per_path(client, metrics_token):
    user = factories.create_user("supervisor", units=("xinhuaxilu",))
    before = scrape(client, metrics_token)
    assert client.post("/api/auth/login", json={"username": user.username,
                                                "password": factories.PASSWORD}).status_code == 200
    assert client.post("/api/auth/login", json={"username": user.username, "password": "wrong"}).status_code == 401
    missing = f"/api/inspections/{uuid.uuid4()}"
    headers = factories.AuthActions(client).headers(user)
    assert client.get(missing, headers=headers).status_code == 404
    assert client.get("/api/no-such-thing").status_code == 404
    after = scrape(client, metrics_token)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    login = {"method": "POST", "endpoint": "auth.Login"}
    assert grew("inspect_http_requests_total", status="200", **login) == 2  # the login inside headers() too
    assert grew("inspect_http_requests_total", status="401", **login) == 1
    item = {"method": "GET", "endpoint": "inspections.InspectionItem", "status": "404"}
    assert grew("inspect_http_requests_total", **item) == 1
    assert grew("inspect_http_request_duration_seconds_count", **item) == 1
    assert grew("inspect_http_request_duration_seconds_bucket", le="+Inf", **item) == 1
    cpu = {"method": "GET", "endpoint": "inspections.InspectionItem"}
    assert grew("inspect_http_request_cpu_seconds_count", **cpu) == 1
    assert 0 < grew("inspect_http_request_cpu_seconds_sum", **cpu) < grew(
        "inspect_http_request_duration_seconds_sum", **item) + 0.01
    assert grew("inspect_http_requests_total", method="GET", endpoint="unmatched", status="404") == 1
    raw = client.get("/metrics", headers=metrics_token).get_data(as_text=True)
    assert missing not in raw and "/api/" not in raw  # paths (UUIDs) never become labels


def test_photo_time_by_format_replays_and_conflicts_are_counted(client, auth, checklists, metrics_token):
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    site = factories.create_site("xinhuaxilu", phase="earthwork")
    headers = auth.headers(inspector)
    form = site_form(client, headers)
    key = plain_key(form, site)
    body = submission(form, site, outcomes={key: "fail"})
    photo_id = next(i["photo_ids"] for i in body["items"] if i["key"] == key)[0]
    before = scrape(client, metrics_token)

    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 200  # the outbox retries
    photo = fresh_jpeg(site)
    assert put(client, headers, body["uuid"], photo_id, photo).status_code == 201
    assert put(client, headers, body["uuid"], photo_id, photo).status_code == 200
    assert put(client, headers, body["uuid"], photo_id, fresh_jpeg(site, orientation=3)).status_code == 409
    after = scrape(client, metrics_token)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("inspect_photo_processing_seconds_count", format="jpeg") == 1  # a replay is not processed
    assert grew("inspect_photo_processing_seconds_sum", format="jpeg") > 0
    assert grew("inspect_outbox_replays_total", endpoint="inspections.Inspections") == 1
    assert grew("inspect_outbox_replays_total", endpoint="evidence.PhotoUpload") == 1
    assert grew("inspect_outbox_conflicts_total", endpoint="evidence.PhotoUpload", code="photo_conflict") == 1
    assert grew("inspect_http_requests_total", method="PUT", endpoint="evidence.PhotoUpload", status="201") == 1


def test_database_pool_usage_is_exported(client, metrics_token):
    client.get("/api/health")
    samples = scrape(client, metrics_token)
    assert value(samples, "inspect_db_pool_checkouts_total") >= 1
    assert value(samples, "inspect_db_pool_connections_open") >= 1
    assert ("inspect_db_pool_connections_in_use", ()) in samples


def test_no_token_and_no_allowed_network_is_refused(client, metrics_token):
    response = client.get("/metrics")
    assert response.status_code == 403
    assert response.get_json()["code"] == "metrics_forbidden"
    assert "METRICS_TOKEN" in response.get_json()["message"]
    assert "inspect_http_requests_total" not in response.get_data(as_text=True)


def test_a_wrong_token_is_refused_with_401(client, metrics_token):
    response = client.get("/metrics", headers={"Authorization": "Bearer " + TOKEN + "x"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "metrics_token_invalid"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_users_api_token_does_not_open_metrics(client, auth, metrics_token):
    headers = auth.as_role("admin")
    assert client.get("/metrics", headers=headers).status_code == 401


def test_nothing_configured_refuses_everyone(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "")
    monkeypatch.setitem(app.config, "METRICS_ALLOW_CIDRS", "")
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_allowed_networks_scrape_without_a_token_and_others_are_refused(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "")
    monkeypatch.setitem(app.config, "METRICS_ALLOW_CIDRS", "10.20.0.0/16, 192.168.7.1")
    inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.3.4"})
    assert inside.status_code == 200
    assert re.search(r"^inspect_http_requests_total\{", inside.get_data(as_text=True), re.M)
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.21.3.4"})
    assert outside.status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.7.1"}).status_code == 200


def test_a_malformed_network_stops_the_app_at_startup():
    with pytest.raises(RuntimeError, match="METRICS_ALLOW_CIDRS"):
        parse_networks("10.0.0.0/8,not-a-network")
