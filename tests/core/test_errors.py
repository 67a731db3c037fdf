"""Every error under /api/ is JSON with a stable code and a message in the caller's language —
the phone app shows the message and branches on the code, never on HTML or a traceback."""
from __future__ import annotations

import pytest

LOGIN = "/api/auth/login"


def test_malformed_json_body_is_400_malformed_json(client):
    response = client.post(LOGIN, data='{"username": "a",', content_type="application/json")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "malformed_json"
    assert body["status"] == 400
    assert body["message"] == "请求内容不是有效的 JSON。"


def test_body_that_is_not_utf8_is_malformed_json(client):
    response = client.post(LOGIN, data=b'{"username": "\xff\xfe"}', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "malformed_json"


def test_wrong_field_types_are_422_with_field_details(client):
    response = client.post(LOGIN, json={"username": 123, "password": ["x"]})
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert set(body["details"]["json"]) == {"username", "password"}
    assert body["message"]


def test_missing_required_fields_are_named(client):
    response = client.post(LOGIN, json={})
    assert response.status_code == 422
    assert set(response.get_json()["details"]["json"]) == {"username", "password"}


def test_json_array_instead_of_object_is_a_validation_error(client):
    response = client.post(LOGIN, json=[1, 2])
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"


def test_unknown_api_url_is_json_404(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["code"] == "not_found"


def test_wrong_method_is_json_405(client):
    response = client.delete(LOGIN)
    assert response.status_code == 405
    assert response.is_json
    assert response.get_json()["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_english_message_with_accept_language_en(client):
    response = client.post(LOGIN, data="{", content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert response.get_json()["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("header, english", [
    (None, False),
    ("zh-CN,zh;q=0.9,en;q=0.8", False),
    ("en-US,en;q=0.9", True),
    ("en-GB", True),
    ("en-US,zh-CN;q=0.5", True),
    ("fr-FR", False),
])
def test_language_negotiation_defaults_to_chinese(client, header, english):
    headers = {"Accept-Language": header} if header else {}
    message = client.get("/api/no-such-thing", headers=headers).get_json()["message"]
    assert message == ("The requested resource was not found." if english else "找不到请求的内容。")


def test_lang_query_parameter_overrides_the_header(client):
    response = client.get("/api/no-such-thing?lang=en", headers={"Accept-Language": "zh-CN"})
    assert response.get_json()["message"] == "The requested resource was not found."


def test_body_over_the_size_limit_is_413_json_naming_the_limit(client, app, monkeypatch):
    """A raw (photo-sized) body is held to the photo limit; JSON bodies have their own (tests/core/test_input_guards)."""
    limit = 3 * 1024 * 1024
    monkeypatch.setitem(app.config, "MAX_PHOTO_BYTES", limit)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", limit)
    payload = b"x" * (limit + 1024)
    for lang, text in (("zh-CN", "上限为 3 MB"), ("en", "limit is 3 MB")):
        response = client.post(LOGIN, data=payload, content_type="application/octet-stream",
                               headers={"Accept-Language": lang})
        assert response.status_code == 413
        body = response.get_json()
        assert body["code"] == "payload_too_large"
        assert text in body["message"]


@pytest.fixture
def app_with_test_routes(tmp_path):
    """A scratch app with routes that raise, to exercise the handlers end to end."""
    from inspect_app.core.errors import ValidationFailed
    from inspect_app.core.i18n import register_messages
    from tests.core.scratch import scratch_app

    register_messages({"test_photo_count": ("至少需要 {n} 张照片。", "At least {n} photos are needed.")})
    with scratch_app(tmp_path, PROPAGATE_EXCEPTIONS=False) as other:
        @other.get("/api/test-domain-error")
        def domain_error():
            raise ValidationFailed("test_photo_count", details={"item": "hoarding"}, n=2)

        @other.get("/api/test-boom")
        def boom():
            raise RuntimeError("secret path /srv/app/db.sqlite3")

        yield other


def test_domain_errors_render_code_params_and_details(app_with_test_routes):
    response = app_with_test_routes.test_client().get("/api/test-domain-error",
                                                      headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json() == {"code": "test_photo_count", "status": 422,
                                   "message": "At least 2 photos are needed.",
                                   "details": {"item": "hoarding"},
                                   "request_id": response.headers["X-Request-Id"]}


def test_unexpected_exception_is_json_500_without_traceback(app_with_test_routes, caplog):
    """A bug must not leak a stack trace (paths, SQL) to the phone; it goes to the log instead."""
    response = app_with_test_routes.test_client().get("/api/test-boom")
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert response.get_json()["message"] == "服务器内部错误，已记录。"
    assert "secret" not in response.get_data(as_text=True)
    assert "secret path" in caplog.text
