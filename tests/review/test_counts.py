"""Each role's waiting work, counted in a fixed number of queries."""
import pytest

from tests.inspections.helpers import plain_key


def counts(world, role):
    response = world.client.get("/api/notifications/counts", headers=world.headers[role])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["role"] == world.users[role].role
    assert body["total"] == sum(body["counts"].values())
    return body["counts"]


@pytest.fixture
def busy(world):
    """A's sent back; B is missing photos; C and D queued cases, D's approved to the bureau."""
    sent_back = world.submit()
    world.review(sent_back["uuid"], status="rejected", note="缺少全景照片", send_back=True)
    world.submit(outcomes={plain_key(world.form, world.site): "fail"})
    world.veto_case()
    approved = world.veto_case()
    assert world.move(approved.id, "supervisor", "approved").status_code == 201
    return world


def test_an_inspector_sees_what_was_sent_back_and_what_misses_photos(busy):
    assert counts(busy, "inspector") == {"sent_back": 1, "incomplete": 3}
    assert counts(busy, "other_inspector") == {"sent_back": 0, "incomplete": 0}


def test_a_supervisor_sees_reviews_and_cases_waiting_in_their_units(busy):
    assert counts(busy, "supervisor") == {"inspections_to_review": 3, "cases_to_review": 1,
                                          "cases_referred_out": 0, "complaints_overdue": 0}
    assert counts(busy, "far_supervisor") == {"inspections_to_review": 0, "cases_to_review": 0,
                                              "cases_referred_out": 0, "complaints_overdue": 0}


def test_the_bureau_sees_cases_to_accept_and_to_decide(busy):
    assert counts(busy, "enforcement") == {"cases_to_accept": 1, "cases_to_decide": 0, "cases_to_confirm": 0}
    case_id = next(c for c in busy.client.get("/api/penalty-cases?status=approved",
                                               headers=busy.headers["enforcement"]).get_json()["items"])["id"]
    busy.move(case_id, "enforcement", "accepted")
    assert counts(busy, "enforcement") == {"cases_to_accept": 0, "cases_to_decide": 1, "cases_to_confirm": 0}


def test_an_admin_sees_everything_district_wide(busy):
    assert counts(busy, "admin") == {"sent_back": 1, "incomplete": 3, "inspections_to_review": 3,
                                     "cases_to_review": 1, "cases_referred_out": 0, "complaints_overdue": 0,
                                     "cases_to_accept": 1, "cases_to_decide": 0, "cases_to_confirm": 0}


def test_counts_need_a_token(world):
    assert world.client.get("/api/notifications/counts").status_code == 401


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement", "admin"])
def test_counting_takes_the_same_few_queries_however_much_work_waits(world, count_queries, role):
    world.submit()
    with count_queries() as few:
        counts(world, role)
    for _ in range(3):
        case = world.veto_case()
        world.move(case.id, "admin", "approved")
        world.veto_case()
        world.submit(outcomes={plain_key(world.form, world.site): "fail"})
    with count_queries() as many:
        body = counts(world, role)
    assert sum(body.values()) > 0
    assert len(many) == len(few)
    assert len(few) <= 5  # token, user's units, inspections, cases
