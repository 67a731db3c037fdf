"""The notice's JSON and its PDF (read back with pypdf), scoped like inspections."""
from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.notices.models import Notice, NoticeRendering
from tests import factories
from tests.evidence.uploads import fresh_jpeg, put
from tests.inspections.helpers import WINTER_MORNING, submission


@pytest.fixture
def issued(form, site, submit):
    """A submitted inspection failing hoarding (2 photos) and idle cover (1 photo), and its notice."""
    body = submission(form, site, outcomes={"hoarding": "fail", "idle_area_cover": "fail"})
    next(i for i in body["items"] if i["key"] == "hoarding")["note"] = "东侧围挡缺失约20米"
    submit(body)
    notice = db.session.scalar(select(Notice))
    return body, notice


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


def test_the_pdf_states_number_site_items_deadlines_and_that_it_is_not_served(client, headers, issued):
    _, notice = issued
    response = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4
    text = pdf_text(response.data).replace("\n", "")
    for expected in ("整改通知书", "回民扬整〔2026〕第00001号", "海亮广场二期", "回民区新华西路 88 号",
                     "150103202611250101", "内蒙古海亮建筑工程有限公司", "呼和浩特海亮房地产开发有限公司",
                     "施工工地周边100%围挡", "六个百分之百 ①", "第六十九条", "第一百一十五条",
                     "2026年11月28日", "2026年12月2日", "东侧围挡缺失约20米", "尚未送达", "照片待上传",
                     "新华西路街道", "王巡查", "拒不改正的，依法责令停工整治"):
        assert expected in text, expected
    assert notice.signature[:20] in text.replace(" ", "")
    assert f"http://localhost/v/{notice.token}" in text  # beside the QR code, which encodes the same address
    meta = reader.metadata
    assert meta["/Keywords"] == f"notice-token:{notice.token} notice-signature:{notice.signature}"
    assert meta["/CreationDate"].startswith("D:20261125095000+08")  # the issue date, not the render time


def test_rendering_is_deterministic_and_each_distinct_pdf_is_remembered(client, headers, issued, site):
    body, notice = issued
    first = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    again = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert first.data == again.data
    assert first.headers["X-Content-SHA256"] == again.headers["X-Content-SHA256"]
    photo_id = next(i for i in body["items"] if i["key"] == "hoarding")["photo_ids"][0]
    assert put(client, headers, body["uuid"], photo_id, fresh_jpeg(site)).status_code == 201
    with_photo = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert with_photo.data != first.data
    text = pdf_text(with_photo.data).replace("\n", "")
    assert f"照片 {photo_id}" in text and "拍摄时间：2026年11月25日 09:35" in text
    assert text.count("照片待上传") == 2 * 2  # two photos still missing: placeholder box and caption each
    rows = db.session.scalars(select(NoticeRendering).order_by(NoticeRendering.id)).all()
    assert [(r.sha256, r.photos_shown) for r in rows] == [
        (first.headers["X-Content-SHA256"], 0), (with_photo.headers["X-Content-SHA256"], 1)]


def test_the_json_lists_items_with_status_photos_and_verify_address(client, headers, issued, site):
    body, notice = issued
    data = client.get(f"/api/notices/{notice.id}", headers=headers).get_json()
    assert data["number"] == notice.number and data["status"] == "issued" and data["served"] is False
    assert data["rectified"] is False
    assert [(i["item_key"], i["status"], i["deadline_date"]) for i in data["items"]] == [
        ("hoarding", "open", "2026-11-28"), ("idle_area_cover", "open", "2026-12-02")]
    assert data["verify_url"].endswith(f"/v/{notice.token}")
    assert [p["arrived"] for p in data["photos"]] == [False, False, False]
    assert data["pdf_url"] == f"/api/notices/{notice.id}.pdf"


def test_items_show_rectified_when_a_later_inspection_passes_them(client, headers, issued, form, site, submit):
    _, notice = issued
    submit(submission(form, site, started_at=WINTER_MORNING + timedelta(days=1)))
    data = client.get(f"/api/notices/{notice.id}", headers=headers).get_json()
    assert [i["status"] for i in data["items"]] == ["closed", "closed"]
    assert data["rectified"] is True


def test_list_filters_by_site_and_status(client, headers, issued, form, submit):
    other = factories.create_site("xinhuaxilu", name="另一工地")
    submit(submission(form, other, outcomes={"hoarding": "fail"}))
    _, notice = issued
    everything = client.get("/api/notices", headers=headers).get_json()
    assert everything["total"] == 2
    by_site = client.get(f"/api/notices?site_id={notice.site_id}", headers=headers).get_json()
    assert [n["number"] for n in by_site["items"]] == [notice.number]
    assert client.get("/api/notices?status=void", headers=headers).get_json()["total"] == 0
    assert client.get("/api/notices?status=nonsense", headers=headers).status_code == 422
    assert client.get("/api/notices?site_id=2147483648", headers=headers).status_code == 422


def test_other_inspectors_and_other_units_cannot_see_a_notice(client, auth, issued):
    _, notice = issued
    outsiders = {
        "another inspector of the unit": auth.as_role("inspector", units=("xinhuaxilu",)),
        "a supervisor of another unit": auth.as_role("supervisor", units=("zhongshanxilu",)),
    }
    for who, headers in outsiders.items():
        for url in (f"/api/notices/{notice.id}", f"/api/notices/{notice.id}.pdf"):
            response = client.get(url, headers=headers)
            assert response.status_code == 404, (who, url)
            assert response.get_json()["code"] == "not_found"
        assert client.get("/api/notices", headers=headers).get_json()["total"] == 0, who
    insiders = [auth.as_role("supervisor", units=("xinhuaxilu",)), auth.as_role("enforcement"), auth.as_role("admin")]
    for headers in insiders:
        assert client.get(f"/api/notices/{notice.id}", headers=headers).status_code == 200
    assert client.get(f"/api/notices/{notice.id}").status_code == 401
    assert client.get(f"/api/notices/{notice.id}.pdf").status_code == 401
