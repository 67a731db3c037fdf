"""Anyone can check a notice: the public page, the PDF upload, and ``flask notices verify``."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.notices.cli import notices_cli
from inspect_app.notices.models import Notice
from tests.inspections.helpers import submission


@pytest.fixture
def notice(form, site, submit):
    body = submission(form, site, outcomes={"hoarding": "fail"})
    next(i for i in body["items"] if i["key"] == "hoarding")["note"] = "联系人张工 13800138000"
    submit(body)
    return db.session.scalar(select(Notice))


@pytest.fixture
def pdf(client, headers, notice) -> bytes:
    response = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert response.status_code == 200
    return response.data


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def upload(client, url: str, data: bytes | None, name: str = "notice.pdf"):
    import io

    form = {} if data is None else {"pdf": (io.BytesIO(data), name)}
    return client.post(url, data=form, content_type="multipart/form-data")


def one_byte_changed(data: bytes, at: int | None = None) -> bytes:
    at = len(data) // 2 if at is None else at
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def test_the_public_page_shows_the_record_without_names_or_phones(client, notice, pdf, site):
    response = client.get(f"/v/{notice.token}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = page_text(response)
    for expected in (notice.number, "2026-11-25", "海亮广场二期", "施工工地周边100%围挡", "2026-11-28",
                     "尚未送达", "尚未全部整改", "新华西路街道", "有效（Ed25519", notice.renderings[0].sha256):
        assert expected in text, expected
    for private in ("王巡查", "13800138000", "张工", "内蒙古海亮建筑工程有限公司", "呼和浩特海亮房地产开发有限公司"):
        assert private not in text, private


def test_the_printed_pdf_matches_the_record(client, notice, pdf):
    response = upload(client, f"/v/{notice.token}", pdf)
    assert response.status_code == 200
    assert "与记录一致" in page_text(response) and "不一致" not in page_text(response)
    response = upload(client, "/v/check", pdf)
    assert "与记录一致" in page_text(response) and notice.number in page_text(response)


@pytest.mark.parametrize("where", ["middle", "start", "end"])
def test_one_changed_byte_does_not_match(client, notice, pdf, where):
    at = {"middle": None, "start": 20, "end": len(pdf) - 10}[where]
    response = upload(client, f"/v/{notice.token}", one_byte_changed(pdf, at))
    assert response.status_code == 200
    text = page_text(response)
    assert "与记录不一致" in text and "与记录一致：" not in text


def test_a_changed_byte_in_the_token_or_signature_does_not_match(client, notice, pdf):
    for mark in (notice.token.encode(), notice.signature.encode()):
        at = pdf.index(mark) + 3
        text = page_text(upload(client, "/v/check", one_byte_changed(pdf, at)))
        assert "与记录不一致" in text, mark


def test_a_pdf_of_another_notice_or_no_notice_does_not_match(client, headers, notice, pdf, form, site, submit):
    from datetime import timedelta

    from tests.inspections.helpers import WINTER_MORNING

    submit(submission(form, site, outcomes={"ground_paving": "fail"}, started_at=WINTER_MORNING + timedelta(hours=1)))
    other = db.session.scalars(select(Notice).order_by(Notice.id.desc())).first()
    other_pdf = client.get(f"/api/notices/{other.id}.pdf", headers=headers).data
    text = page_text(upload(client, f"/v/{notice.token}", other_pdf))
    assert "这份 PDF 属于另一份通知书" in text
    for junk in (b"%PDF-1.4 nothing here", b"", b"\x00" * 100, b"notice-token:" + b"A" * 30):
        response = upload(client, "/v/check", junk, name="x.pdf")
        assert response.status_code in (200, 400), junk
        assert "与记录不一致" in page_text(response) or "请选择" in page_text(response)


def test_an_edited_record_no_longer_verifies(client, notice, pdf):
    notice.content = {**notice.content, "unit": "别的单位"}
    db.session.commit()
    text = page_text(upload(client, f"/v/{notice.token}", pdf))
    assert "与记录不一致" in text and "记录的签名无法用当前密钥验证" in text
    assert "无法验证" in page_text(client.get(f"/v/{notice.token}"))


def test_unknown_token_is_a_clear_404_page_never_a_500(client):
    for url in ("/v/doesnotexist", "/v/" + "A" * 32, "/v/%00%ff", "/v/" + "x" * 600):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "找不到该通知书" in page_text(response)
    assert upload(client, "/v/" + "B" * 32, b"%PDF").status_code == 404


def test_upload_without_a_file_asks_for_one(client, notice):
    response = upload(client, f"/v/{notice.token}", None)
    assert response.status_code == 400 and "请选择要核对的 PDF 文件" in page_text(response)
    assert client.get("/v/check").status_code == 200


def test_an_upload_over_the_limit_is_refused_with_a_page(client, notice, monkeypatch):
    from inspect_app.notices import routes

    # a small limit keeps the test client's body in memory (a 10 MB body spools to a temporary file)
    monkeypatch.setattr(routes, "MAX_PDF_BYTES", 4096)
    response = upload(client, f"/v/{notice.token}", b"%PDF" + b"0" * 5000)
    assert response.status_code == 413 and "文件过大" in page_text(response)


def test_flask_notices_verify(app, runner, notice, pdf, tmp_path):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(one_byte_changed(pdf))
    result = runner.invoke(notices_cli, ["verify", str(good)])
    assert result.exit_code == 0, result.output
    assert notice.number in result.output and "与记录一致" in result.output
    result = runner.invoke(notices_cli, ["verify", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "Does not match the record" in result.output and "may have been altered" in result.output


def test_the_void_notice_page_says_so(client, auth, notice, form, site, submit):
    from datetime import timedelta

    from tests import factories
    from tests.inspections.helpers import WINTER_MORNING

    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    client.post(f"/api/inspections/{notice.inspection.uuid}/review", headers=supervisor,
                json={"status": "rejected", "note": "重拍", "send_back": True})
    submit(submission(form, site, outcomes={"hoarding": "fail"}, supersedes=notice.inspection.uuid,
                      started_at=WINTER_MORNING + timedelta(minutes=30)))
    text = page_text(client.get(f"/v/{notice.token}"))
    assert "已作废" in text and "回民扬整〔2026〕第00002号" in text
