"""What the faster form adds to a submission (issue 12): the inspector's reason for finishing outside the
geofence, and annotated photo copies linked to their originals."""
import hashlib

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from tests import factories
from tests.evidence import images
from tests.evidence.uploads import fresh_jpeg, new_ids, put
from tests.inspections.helpers import plain_key, site_form, submission


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, checklists):
    return auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))


def off_site_body(client, headers, site, **extra) -> dict:
    """A complete submission finished about 760 m north of the site (outside a 200 m geofence)."""
    return submission(site_form(client, headers), site, lat=site.lat + 0.0068, **extra)


# --- the reason for finishing outside the geofence -------------------------------------------------

def test_off_site_reason_is_stored_audited_shown_and_the_off_site_flag_stays(client, headers, site):
    body = off_site_body(client, headers, site, off_site_reason="  工地封闭无法进入，在大门外检查  ")
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 201, res.get_json()
    shown = client.get(f"/api/inspections/{body['uuid']}", headers=headers).get_json()
    assert shown["off_site_reason"] == "工地封闭无法进入，在大门外检查"
    assert "off_site" in {flag["code"] for flag in shown["flags"]}  # additive context, never clears the flag
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "inspection.submit"))
    assert event.after["off_site_reason"] == "工地封闭无法进入，在大门外检查"


def test_without_a_reason_the_field_is_null(client, headers, site):
    body = off_site_body(client, headers, site)
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    assert client.get(f"/api/inspections/{body['uuid']}", headers=headers).get_json()["off_site_reason"] is None


@pytest.mark.parametrize("reason", ["长" * 201, 42, ["封闭"]])
def test_a_reason_too_long_or_not_text_is_refused_and_nothing_is_stored(client, headers, site, reason):
    body = off_site_body(client, headers, site, off_site_reason=reason)
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 422
    assert "off_site_reason" in str(res.get_json())
    assert client.get(f"/api/inspections/{body['uuid']}", headers=headers).status_code == 404


def test_a_reason_with_nul_is_refused_by_the_parser(client, headers, site):
    body = off_site_body(client, headers, site, off_site_reason="工地\u0000封闭")
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 422
    assert "off_site_reason" in str(res.get_json()) and "NUL" in str(res.get_json())


def test_the_reason_is_part_of_the_content_so_a_changed_reason_is_a_conflict(client, headers, site):
    body = off_site_body(client, headers, site, off_site_reason="工地封闭")
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 200
    changed = {**body, "off_site_reason": "门卫不让进"}
    assert client.post("/api/inspections", json=changed, headers=headers).status_code == 409


def test_only_inspectors_submit_a_reason(client, auth, checklists, site):
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    body = off_site_body(client, supervisor, site, off_site_reason="工地封闭")
    assert client.post("/api/inspections", json=body, headers=supervisor).status_code == 403


# --- annotated copies -----------------------------------------------------------------------------

def annotated_submission(client, headers, site, *, original=None, copy=None) -> dict:
    """A failed plain item with two photos of its own (an original and an annotated copy of it)."""
    form = site_form(client, headers)
    key = plain_key(form, site)
    original, copy = original or new_ids(1)[0], copy or new_ids(1)[0]
    needed = next(i["photos_on_fail"] for i in form["items"] if i["key"] == key)
    extra = new_ids(max(needed - 1, 0))
    return submission(form, site, outcomes={key: "fail"}, photos={key: [original, *extra, copy]},
                      photo_annotations=[{"photo_id": copy, "annotates": original}])


def test_an_annotated_copy_is_linked_flagged_as_a_copy_and_the_original_kept_byte_for_byte(client, headers, site):
    body = annotated_submission(client, headers, site)
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 201, res.get_json()
    link = body["photo_annotations"][0]
    assert res.get_json()["photo_annotations"] == {link["photo_id"]: link["annotates"]}
    original_bytes = fresh_jpeg(site)
    drawn = images.png()  # a canvas export: no camera EXIF at all
    put_copy = put(client, headers, body["uuid"], link["photo_id"], drawn)
    assert put_copy.status_code == 201, put_copy.get_json()
    assert put_copy.get_json()["photo"]["annotates"] == link["annotates"]
    assert put(client, headers, body["uuid"], link["annotates"], original_bytes).status_code == 201
    for pid in body["items"][[i["outcome"] for i in body["items"]].index("fail")]["photo_ids"]:
        if pid not in link.values():
            put(client, headers, body["uuid"], pid, fresh_jpeg(site))
    shown = client.get(f"/api/inspections/{body['uuid']}", headers=headers).get_json()
    assert shown["completeness"] == "complete"
    copy_flags = [f for f in shown["flags"] if f.get("photo_id") == link["photo_id"]]
    assert [f["code"] for f in copy_flags] == ["annotated_copy"]  # not "no capture time"
    assert "标注" in copy_flags[0]["message"]
    assert not [f for f in shown["flags"] if f.get("photo_id") == link["annotates"]]
    original = db.session.scalar(select(Photo).where(Photo.uuid == link["annotates"]))
    assert original.annotates_uuid is None
    assert original.sha256 == hashlib.sha256(original_bytes).hexdigest()
    got = client.get(f"/api/photos/{link['annotates']}/original", headers=headers)
    assert hashlib.sha256(got.data).hexdigest() == original.sha256


def test_linking_a_copy_to_a_photo_of_another_inspection_is_refused(client, headers, site):
    first = annotated_submission(client, headers, site)
    assert client.post("/api/inspections", json=first, headers=headers).status_code == 201
    theirs = first["photo_annotations"][0]["annotates"]
    form = site_form(client, headers)
    key = plain_key(form, site)
    needed = next(i["photos_on_fail"] for i in form["items"] if i["key"] == key)
    copy, *own = new_ids(needed + 1)
    body = submission(form, site, outcomes={key: "fail"}, photos={key: [*own, copy]},
                      photo_annotations=[{"photo_id": copy, "annotates": theirs}])
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 422
    assert res.get_json()["code"] == "annotation_photo_unknown"
    assert client.get(f"/api/inspections/{body['uuid']}", headers=headers).status_code == 404


def test_a_copy_does_not_count_as_the_photos_a_failure_needs(client, headers, site):
    form = site_form(client, headers)
    item = next(i for i in form["items"] if i["photos_on_fail"] == 2)  # the hoarding: two photos
    a, b, copy = new_ids(3)
    short = submission(form, site, outcomes={item["key"]: "fail"}, photos={item["key"]: [a, copy]},
                       photo_annotations=[{"photo_id": copy, "annotates": a}])
    res = client.post("/api/inspections", json=short, headers=headers)
    assert res.status_code == 422 and res.get_json()["code"] == "photos_required"
    enough = submission(form, site, outcomes={item["key"]: "fail"}, photos={item["key"]: [a, b, copy]},
                        photo_annotations=[{"photo_id": copy, "annotates": a}])
    assert client.post("/api/inspections", json=enough, headers=headers).status_code == 201


@pytest.mark.parametrize("shape", ["self", "chain", "twice"])
def test_malformed_links_are_refused(client, headers, site, shape):
    form = site_form(client, headers)
    key = plain_key(form, site)
    a, b, c = new_ids(3)
    links = {"self": [{"photo_id": a, "annotates": a}],
             "chain": [{"photo_id": b, "annotates": a}, {"photo_id": c, "annotates": b}],
             "twice": [{"photo_id": b, "annotates": a}, {"photo_id": b, "annotates": c}]}[shape]
    body = submission(form, site, outcomes={key: "fail"}, photos={key: [a, b, c]}, photo_annotations=links)
    res = client.post("/api/inspections", json=body, headers=headers)
    assert res.status_code == 422 and res.get_json()["code"] == "annotation_invalid"


def test_a_link_that_is_not_a_uuid_is_refused(client, headers, site):
    body = annotated_submission(client, headers, site)
    body["photo_annotations"] = [{"photo_id": "x", "annotates": "y"}]
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 422


def test_a_submission_without_the_new_fields_hashes_as_before_so_old_replays_are_no_conflict(client, headers, site):
    from inspect_app.inspections.schemas import SubmissionSchema

    body = submission(site_form(client, headers), site)
    loaded = SubmissionSchema().load(body)
    assert "off_site_reason" not in loaded and "photo_annotations" not in loaded
