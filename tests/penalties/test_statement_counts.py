"""The penalty queue and the violations list cost a fixed number of SQL statements per page.

Each row names the inspection behind it (its uuid). Loading that inspection in full dragged its
eager collections along — results, photos, the roadside check, violations, cases — five statements
per distinct inspection, about 255 for a page of 50. The count must not grow with the rows.
"""
from __future__ import annotations

import pytest

from tests import factories
from tests.inspections.helpers import plain_key, submission, veto_key

ROWS = 50
MAX_STATEMENTS = 10


@pytest.fixture
def history(world):
    """``ROWS`` sites, each inspected once with its veto item and one plain item failed: as many
    cases and twice as many violations, every one from a different inspection."""
    uuids = []
    for _ in range(ROWS):
        site = factories.create_site("xinhuaxilu", phase="earthwork")
        body = submission(world.form, site, outcomes={veto_key(world.form): "fail",
                                                      plain_key(world.form, site): "fail"})
        response = world.client.post("/api/inspections", json=body, headers=world.headers["inspector"])
        assert response.status_code == 201, response.get_json()
        uuids.append(body["uuid"])
    return uuids


def _page(world, count_queries, path, role, page_size):
    with count_queries() as statements:
        response = world.client.get(f"{path}?page_size={page_size}", headers=world.headers[role])
    assert response.status_code == 200, response.get_json()
    return response.get_json(), len(statements)


@pytest.mark.parametrize("role", ["supervisor", "enforcement"])
def test_penalty_queue_statements_do_not_grow_with_the_page(world, history, count_queries, role):
    small, small_count = _page(world, count_queries, "/api/penalty-cases", role, 5)
    large, large_count = _page(world, count_queries, "/api/penalty-cases", role, ROWS)
    assert len(small["items"]) == 5 and len(large["items"]) == ROWS
    assert large_count == small_count
    assert large_count <= MAX_STATEMENTS
    # the rows still name their inspections, and each its own
    assert {case["inspection"] for case in large["items"]} == set(history)
    assert all(case["site"]["name"] for case in large["items"])


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_violations_list_statements_do_not_grow_with_the_page(world, history, count_queries, role):
    small, small_count = _page(world, count_queries, "/api/violations", role, 5)
    large, large_count = _page(world, count_queries, "/api/violations", role, ROWS)
    assert len(small["items"]) == 5 and len(large["items"]) == ROWS
    assert large_count == small_count
    assert large_count <= MAX_STATEMENTS
    assert {violation["opened_by"] for violation in large["items"]} <= set(history)
    assert len({violation["opened_by"] for violation in large["items"]}) >= ROWS // 2

