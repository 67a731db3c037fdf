"""What a fuzzer found answering 500 now answers a clear 4xx (issue 13, points 5, 6, 7 and 9).

Each test sends what the fuzzer sent — through the real API, on SQLite and on PostgreSQL
(``TEST_DATABASE_URL``) — and checks the refusal is JSON with a stable code, never a 500.
"""
from __future__ import annotations

import io

import pytest

from tests import factories
from tests.inspections.helpers import site_form, submission

TOO_BIG = 2**31  # one past a 32-bit INTEGER column: PostgreSQL answered "integer out of range"
HUGE = 2**64  # past any 64-bit integer: SQLite's driver raised OverflowError


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["code"] == code and body["status"] == status and body["message"]
    return body


@pytest.fixture
def admin(auth):
    return auth.as_role("admin")


@pytest.fixture
def supervisor(auth):
    return auth.as_role("supervisor")


# -- point 5: integers beyond the column range -------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/api/sites/{TOO_BIG}", f"/api/sites/{TOO_BIG}/close", f"/api/vehicles/{TOO_BIG}",
    f"/api/companies/{TOO_BIG}", f"/api/penalty-cases/{TOO_BIG}", f"/api/scorecards/{TOO_BIG}",
    f"/api/sites/{HUGE}", f"/api/vehicles/{HUGE}", f"/api/penalty-cases/{HUGE}/transitions", "/api/sites/0",
])
def test_path_ids_beyond_the_integer_column_are_404(client, admin, path):
    method = client.post if path.endswith(("/close", "/transitions")) else client.get
    _problem(method(path, headers=admin), 404, "not_found")


def test_the_largest_id_a_column_holds_is_looked_up_normally(client, admin):
    _problem(client.get(f"/api/sites/{TOO_BIG - 1}", headers=admin), 404, "not_found")


@pytest.mark.parametrize("query", [
    f"/api/inspections?site_id={TOO_BIG}", f"/api/violations?site_id={TOO_BIG}",
    f"/api/vehicles?company_id={TOO_BIG}", f"/api/vehicles?site_id={TOO_BIG}",
    f"/api/sites/summaries?ids=1,{TOO_BIG}", f"/api/inspections?site_id={HUGE}",
    f"/api/violations?site_id={HUGE}", f"/api/sites/summaries?ids={HUGE}",
    "/api/sites?page=999999999999999999", "/api/penalty-cases?page=999999999999999999",
    "/api/scorecards?page=999999999999999999", f"/api/vehicles?page={TOO_BIG}",
    "/api/sites?page=0", "/api/sites?page_size=100000",
])
def test_query_ids_and_pages_out_of_range_are_422(client, admin, query):
    body = _problem(client.get(query, headers=admin), 422, "validation_error")
    assert body["details"]["query"]


def test_the_last_allowed_page_is_an_empty_page_not_an_error(client, admin):
    from inspect_app.core.pagination import MAX_PAGE

    factories.create_site()
    response = client.get(f"/api/sites?page={MAX_PAGE}&page_size=200", headers=admin)
    assert response.status_code == 200
    assert response.get_json()["items"] == [] and response.get_json()["total"] == 1


def test_body_ids_out_of_range_are_422_naming_the_field(client, auth, checklists):
    inspector = factories.create_user("inspector")
    headers = auth.headers(inspector)
    site = factories.create_site()
    body = submission(site_form(client, headers), site)
    body["site_id"] = TOO_BIG
    body["checklist_version_ids"] = [body["checklist_version_ids"][0], TOO_BIG]
    details = _problem(client.post("/api/inspections", json=body, headers=headers),
                       422, "validation_error")["details"]["json"]
    assert set(details) == {"site_id", "checklist_version_ids"}


def test_vehicle_company_and_served_sites_out_of_range_are_422(client, admin):
    body = {"plate": "蒙A12345", "rated_load_t": 20, "company_id": TOO_BIG, "site_ids": [TOO_BIG]}
    details = _problem(client.post("/api/vehicles", json=body, headers=admin),
                       422, "validation_error")["details"]["json"]
    assert set(details) == {"company_id", "site_ids"}


# -- point 6: NUL bytes (and lone surrogates) in any text --------------------------------------

@pytest.mark.parametrize("query", [
    "/api/sites?q=%00", "/api/sites?q=abc%00def", "/api/vehicles?plate=%E8%92%99A%00",
    "/api/companies?q=%00", "/api/scorecards?q=x%00", "/api/vehicles/lookup?plate=%00",
])
def test_nul_in_a_query_string_is_422(client, admin, query):
    body = _problem(client.get(query, headers=admin), 422, "validation_error")
    assert body["details"]["query"]


def test_nul_in_a_company_name_is_422_and_nothing_is_stored(client, admin):
    details = _problem(client.post("/api/companies", json={"name": "呼和浩特\x00渣土运输"}, headers=admin),
                       422, "validation_error")["details"]["json"]
    assert "name" in details
    assert client.get("/api/companies", headers=admin).get_json()["total"] == 0


def test_lone_surrogate_in_a_site_name_is_422(client, admin):
    raw = ('{"name": "工地\\ud800", "contractor": "c", "unit": "xinhuaxilu", "lat": 40.82, '
           '"lon": 111.65, "phase": "earthwork"}')
    details = _problem(client.post("/api/sites", data=raw, content_type="application/json", headers=admin),
                       422, "validation_error")["details"]["json"]
    assert "name" in details


def test_nul_in_an_inspection_note_is_422_pointing_at_the_item(client, auth, checklists):
    headers = auth.headers(factories.create_user("inspector"))
    site = factories.create_site()
    body = submission(site_form(client, headers), site)
    body["items"][1]["note"] = "围挡\x00破损"
    details = _problem(client.post("/api/inspections", json=body, headers=headers),
                       422, "validation_error")["details"]["json"]
    assert details == {"items": {"1": {"note": [details["items"]["1"]["note"][0]]}}}
    body["items"][1]["note"] = "围挡破损"
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201


def test_nul_in_a_json_key_is_422(client, admin):
    response = client.post("/api/companies", json={"name": "ok", "bad\x00key": 1}, headers=admin)
    _problem(response, 422, "validation_error")


# -- point 7: a closed site's scorecard page -----------------------------------------------------

def test_closed_sites_page_answers_with_its_history(client, admin, supervisor):
    from datetime import timedelta

    from inspect_app.core.timeutil import utcnow
    from tests.scorecards.builders import add_inspection

    site = factories.create_site(name="已关闭的工地")
    inspector = factories.create_user("inspector")
    add_inspection(site, inspector, utcnow() - timedelta(days=3), score=72.0)
    assert client.post(f"/api/sites/{site.id}/close", headers=admin).status_code == 200

    response = client.get(f"/api/scorecards/{site.id}", headers=supervisor)
    assert response.status_code == 200, response.get_json()
    page = response.get_json()
    assert page["summary"]["status"] == "closed" and page["site"]["status"] == "closed"
    assert [point["score"] for point in page["history"]] == [72.0]
    # the list shows it too when asked for closed sites, so the page and the list agree
    listed = client.get("/api/scorecards?status=closed", headers=supervisor).get_json()["items"]
    assert [item["site_id"] for item in listed] == [site.id]


# -- point 9: deep and large JSON bodies ---------------------------------------------------------

@pytest.mark.parametrize("path, role", [("/api/auth/login", None), ("/api/companies", "admin"),
                                        ("/api/inspections", "inspector")])
def test_json_nested_100000_deep_is_422_json_too_deep(client, auth, path, role):
    deep = "[" * 100_000 + "]" * 100_000
    headers = auth.as_role(role) if role else {}
    body = _problem(client.post(path, data=deep, content_type="application/json", headers=headers),
                    422, "json_too_deep")
    assert "64" in body["message"]


def test_nesting_up_to_the_limit_is_parsed(client, admin, app):
    depth = app.config["MAX_JSON_DEPTH"]
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    raw = '{"name": "ok", "extra": ' + nested + "}"  # an unknown field: refused by the schema
    body = _problem(client.post("/api/companies", data=raw, content_type="application/json", headers=admin),
                    422, "validation_error")
    assert "extra" in body["details"]["json"]


def test_json_body_above_its_own_limit_is_413_before_parsing(client, admin, app):
    limit = app.config["MAX_JSON_BYTES"]
    assert limit * 8 <= app.config["MAX_PHOTO_BYTES"], "JSON bodies have a much smaller limit than photos"
    raw = '{"name": "' + "x" * limit + '"}'
    for lang, text in (("zh-CN", "上限为 2 MB"), ("en", "limit is 2 MB")):
        response = client.post("/api/companies", data=raw, content_type="application/json",
                               headers={**admin, "Accept-Language": lang})
        assert text in _problem(response, 413, "payload_too_large")["message"]


def test_chunked_json_body_is_cut_off_at_the_limit(client, admin, app, monkeypatch):
    """Without a Content-Length (chunked upload) the body is counted as it streams in."""
    monkeypatch.setitem(app.config, "MAX_JSON_BYTES", 1024)
    raw = b'{"name": "' + b"x" * 10_000 + b'"}'
    response = client.post("/api/companies", content_type="application/json", headers=admin,
                           environ_overrides={"wsgi.input": io.BytesIO(raw), "wsgi.input_terminated": True,
                                              "CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"})
    _problem(response, 413, "payload_too_large")


@pytest.mark.parametrize("raw", ['{"username": NaN, "password": "x"}', '{"username": Infinity}',
                                 '{"username": ' + "9" * 5000 + "}"],
                         ids=["NaN", "Infinity", "5000-digit integer"])
def test_json_that_is_not_rfc_8259_is_400_malformed_json(client, raw):
    _problem(client.post("/api/auth/login", data=raw, content_type="application/json"), 400, "malformed_json")
