"""A case shows only its own inspection's photos (issue 13 point 2).

Two inspections may declare the same photo id before either uploads it (the id is checked at
submission only against stored photos). Whichever uploads first owns the photo; the other's case
must show it as not arrived — never the first inspection's picture as its evidence.
"""
from tests.evidence.uploads import fresh_jpeg, new_ids, put
from tests.inspections.helpers import veto_key


def test_a_case_does_not_list_another_inspections_photo_as_its_evidence(world):
    shared, own, owners_other = new_ids(3)
    key = veto_key(world.form)  # a failed veto item needs two photos and queues a case
    owner = world.submit(outcomes={key: "fail"}, photos={key: [shared, owners_other]})
    borrower = world.submit(outcomes={key: "fail"}, photos={key: [shared, own]})
    headers = world.headers["inspector"]
    assert put(world.client, headers, owner["uuid"], shared, fresh_jpeg(world.site)).status_code == 201
    assert put(world.client, headers, borrower["uuid"], own, fresh_jpeg(world.site, quality=70)).status_code == 201
    # The borrower cannot upload the shared id: it belongs to the owner now.
    assert put(world.client, headers, borrower["uuid"], shared, fresh_jpeg(world.site)).status_code == 409

    case = world.case(borrower["penalty_cases"][0]["id"]).get_json()
    photos = {photo["id"]: photo for photo in case["photos"]}
    assert photos[shared]["arrived"] is False
    assert photos[shared]["display_url"] is None and photos[shared]["sha256"] is None
    assert photos[own]["arrived"] is True
    assert photos[own]["display_url"] == f"/api/photos/{own}/display"

    owners_case = world.case(owner["penalty_cases"][0]["id"]).get_json()
    assert [(p["id"], p["arrived"]) for p in owners_case["photos"]] == [(shared, True), (owners_other, False)]
