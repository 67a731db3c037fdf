"""A photo id belongs to exactly one inspection, and an inspection declares a bounded number of photos
(issue 13 points 2 and 4)."""
import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.inspections.operations import MAX_PHOTOS_PER_INSPECTION
from tests import factories
from tests.evidence.uploads import fresh_jpeg, new_ids, put, submit_with_photos
from inspect_app.checklists.forms import is_applicable
from tests.inspections.helpers import WINTER_MORNING, site_form, submission
from tests.roadside.helpers import PLATE_PHOTO_ITEM, truck_check, truck_form


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, checklists):
    return auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))


@pytest.fixture
def stored(client, headers, site):
    """An inspection whose one photo has arrived: (its submission, the stored photo id)."""
    photo_id = new_ids(1)[0]
    body = submit_with_photos(client, headers, site, [photo_id])
    assert put(client, headers, body["uuid"], photo_id, fresh_jpeg(site)).status_code == 201
    return body, photo_id


def inspections() -> int:
    return db.session.scalar(select(func.count()).select_from(Inspection))


def test_an_inspection_declaring_a_photo_stored_for_another_is_refused_with_409(client, headers, site, stored):
    _, taken = stored
    form = site_form(client, headers)
    key = next(i["key"] for i in form["items"] if not i["veto"])
    body = submission(form, site, outcomes={key: "fail"}, photos={key: [taken, *new_ids(1)]})
    for lang, words in (("zh-CN", "另一次巡查"), ("en", "another inspection")):
        response = client.post("/api/inspections", json=body, headers={**headers, "Accept-Language": lang})
        assert response.status_code == 409, response.get_json()
        error = response.get_json()
        assert error["code"] == "photo_id_taken"
        assert error["details"] == {"photo_ids": [taken]}
        assert taken in error["message"] and words in error["message"]
    assert inspections() == 1  # nothing of the refused inspection is kept


def test_a_roadside_check_declaring_a_photo_stored_for_an_inspection_is_refused(client, headers, stored):
    _, taken = stored
    form = truck_form(client, headers)
    body = truck_check(form, photos={PLATE_PHOTO_ITEM: [taken]})
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["code"] == "photo_id_taken"
    assert inspections() == 1


def test_the_inspection_owning_the_photo_can_still_be_replayed(client, headers, stored):
    body, _ = stored
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 200


def test_a_photo_id_declared_but_not_yet_uploaded_elsewhere_is_not_refused(client, headers, site):
    shared = new_ids(1)[0]
    first = submit_with_photos(client, headers, site, [shared])
    second = submit_with_photos(client, headers, site, [shared])  # not stored yet: nothing to refuse
    assert put(client, headers, first["uuid"], shared, fresh_jpeg(site)).status_code == 201
    # ...and then only the inspection that stored it owns it.
    assert put(client, headers, second["uuid"], shared, fresh_jpeg(site)).get_json()["code"] == "photo_conflict"


def applicable_keys(form: dict, site) -> list[str]:
    return [item["key"] for item in form["items"] if is_applicable(item, site.phase, WINTER_MORNING)[0]]


def _spread(keys: list[str], count: int) -> dict[str, list[str]]:
    """``count`` fresh photo ids spread over passed items, at most 10 on each."""
    photos, ids = {}, new_ids(count)
    for key in keys:
        if not ids:
            break
        photos[key], ids = ids[:10], ids[10:]
    assert not ids, "not enough applicable items to carry the photos"
    return photos


def test_an_inspection_declares_at_most_sixty_photos(client, headers, site):
    form = site_form(client, headers)
    keys = applicable_keys(form, site)
    too_many = submission(form, site, photos=_spread(keys, MAX_PHOTOS_PER_INSPECTION + 1))
    response = client.post("/api/inspections", json=too_many, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "too_many_photos"
    assert "60" in response.get_json()["message"]
    assert inspections() == 0
    enough = submission(form, site, photos=_spread(keys, MAX_PHOTOS_PER_INSPECTION))
    assert client.post("/api/inspections", json=enough, headers=headers).status_code == 201


def test_an_item_declares_at_most_ten_photos(client, headers, site):
    form = site_form(client, headers)
    key = applicable_keys(form, site)[0]
    body = submission(form, site, photos={key: new_ids(11)})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422
    assert inspections() == 0
