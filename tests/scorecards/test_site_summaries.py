"""Site summaries on the inspector's site list: last score, grade, open and overdue violations."""
from __future__ import annotations

import pytest

from tests.factories import create_site
from tests.scorecards.test_scorecards_api import _other_items, inspector, known_site  # noqa: F401


def test_summaries_give_last_score_grade_and_violation_counts(client, auth, known_site):
    never = create_site(name="从未巡查工地")
    headers = auth.as_role("inspector", units=("xinhuaxilu",))
    response = client.get(f"/api/sites/summaries?ids={known_site.id},{never.id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    items = {item["site_id"]: item for item in response.get_json()["items"]}
    assert items[known_site.id]["last_score"] == 85
    assert items[known_site.id]["last_grade"] == "excellent"
    assert items[known_site.id]["grade_label"] == "优良"
    assert items[known_site.id]["open_violations"] == 3
    assert items[known_site.id]["overdue_violations"] == 2
    assert items[never.id]["last_score"] is None and items[never.id]["open_violations"] == 0


def test_summaries_leave_out_sites_of_other_units(client, auth, known_site):
    far = create_site("youyouban", lat=40.84, lon=111.56, name="攸攸板工地")
    headers = auth.as_role("inspector", units=("youyouban",))
    response = client.get(f"/api/sites/summaries?ids={known_site.id},{far.id}", headers=headers)
    assert [item["site_id"] for item in response.get_json()["items"]] == [far.id]


def test_summaries_query_count_does_not_grow_with_sites(client, auth, checklists, count_queries):
    headers = auth.as_role("inspector", units=("xinhuaxilu",))
    few = [create_site().id for _ in range(2)]
    with count_queries() as small:
        client.get(f"/api/sites/summaries?ids={','.join(map(str, few))}", headers=headers)
    many = few + [create_site().id for _ in range(20)]
    with count_queries() as large:
        client.get(f"/api/sites/summaries?ids={','.join(map(str, many))}", headers=headers)
    assert len(large) == len(small)


@pytest.mark.parametrize("query", ["", "ids=", "ids=abc", "ids=" + ",".join(["1"] * 201)])
def test_bad_ids_are_refused(client, auth, query):
    headers = auth.as_role("inspector", units=("xinhuaxilu",))
    response = client.get(f"/api/sites/summaries?{query}", headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"


def test_anonymous_callers_must_log_in(client):
    assert client.get("/api/sites/summaries?ids=1").status_code == 401
