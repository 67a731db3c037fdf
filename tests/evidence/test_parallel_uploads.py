"""Ten photos of one inspection uploaded at the same moment (issue 13 point 1).

Each upload adds its photo's flags to the inspection and recomputes its completeness. Done as an
unlocked read-modify-write, uploads that overlapped lost each other's flags (9 flags of 30 with
gunicorn -w 4) and left a fully uploaded inspection ``incomplete``. Threads share nothing but the
database; processes are what gunicorn runs and what shows the lost updates on SQLite too.
"""
import pytest

from tests import factories
from tests.evidence import images
from tests.evidence.uploads import new_ids, put, put_request, submit_with_photos
from tests.racing import race_processes, race_threads

PHOTOS = 10
PHOTO_FLAGS = ("photo_not_fresh", "photo_off_site", "reused_photo")


def far_away_undated_photos(site) -> list[bytes]:
    """Distinct photos without a capture time, taken ~5.5 km from the site: each earns two flags."""
    return [images.jpeg((320, 240), quality=60 + i, lat=site.lat + 0.05, lon=site.lon) for i in range(PHOTOS)]


@pytest.mark.parametrize("race", [race_threads, race_processes], ids=["threads", "processes"])
def test_photos_uploaded_at_once_keep_every_flag_and_complete_the_inspection(app, client, auth, checklists, race):
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    site = factories.create_site("xinhuaxilu", phase="earthwork")
    headers = auth.headers(inspector)
    photos = far_away_undated_photos(site)
    # An earlier inspection already holds the same ten pictures: sending them again is reuse.
    earlier = submit_with_photos(client, headers, site, new_ids(PHOTOS))
    for photo_id, data in zip(_declared(earlier), photos):
        assert put(client, headers, earlier["uuid"], photo_id, data).status_code == 201
    photo_ids = new_ids(PHOTOS)
    later = submit_with_photos(client, headers, site, photo_ids)

    statuses = race(app, [put_request(headers, later["uuid"], pid, data) for pid, data in zip(photo_ids, photos)])

    assert statuses == [201] * PHOTOS
    read = client.get(f"/api/inspections/{later['uuid']}", headers=headers).get_json()
    assert read["completeness"] == "complete"
    assert read["missing_photos"] == []
    found = sorted((flag["photo_id"], flag["code"]) for flag in read["flags"] if flag.get("photo_id"))
    assert found == sorted((pid, code) for pid in photo_ids for code in PHOTO_FLAGS)


def _declared(body: dict) -> list[str]:
    return [pid for item in body["items"] for pid in item["photo_ids"]]


@pytest.mark.parametrize("race", [race_threads, race_processes], ids=["threads", "processes"])
def test_the_same_picture_sent_to_several_inspections_at_once_is_flagged_as_reused(app, client, auth, checklists,
                                                                                    race):
    """Each upload looks for the same bytes in other inspections; racing ones must still see each other."""
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    site = factories.create_site("xinhuaxilu", phase="earthwork")
    headers = auth.headers(inspector)
    picture = images.jpeg((320, 240), taken_at="2026:11:25 09:35:00", offset="+08:00", lat=site.lat, lon=site.lon)
    uploads = []
    for _ in range(4):
        photo_id = new_ids(1)[0]
        uploads.append((submit_with_photos(client, headers, site, [photo_id])["uuid"], photo_id))

    statuses = race(app, [put_request(headers, uuid, photo_id, picture) for uuid, photo_id in uploads])

    assert statuses == [201] * 4
    reused = [flag for uuid, _ in uploads
              for flag in client.get(f"/api/inspections/{uuid}", headers=headers).get_json()["flags"]
              if flag["code"] == "reused_photo"]
    assert len(reused) == 3  # every upload but the first to commit
