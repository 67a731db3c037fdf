"""The scorecards page picks its sites from sites + site_stats first when the sort allows: the same rows in
the same order as aggregating every site, page by page, for every sort and filter — and a statement count
that does not follow the number of sites."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest

from inspect_app.auth.models import User
from inspect_app.core.pagination import paginate_rows_with_total
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.scorecards.queries import SORT_KEYS, ScorecardFilters, scorecard_page, scorecards
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_inspection, add_violation, distinct_items

FILTERS = [
    ScorecardFilters(),
    ScorecardFilters(status="all"),
    ScorecardFilters(grade="pass"),
    ScorecardFilters(not_inspected_days=10),
    ScorecardFilters(q="东"),
    ScorecardFilters(unit="guangminglu", status="all"),
    ScorecardFilters(has_overdue=True),
    ScorecardFilters(has_overdue=False, status="all"),
]


@pytest.fixture
def district(checklists):
    """Seventeen sites in two units: never inspected, unscored, equal scores (ties), suspended ones,
    open and overdue violations — every case the orderings and filters treat specially."""
    rng = random.Random(7)
    inspector = create_user("inspector", units=("xinhuaxilu", "guangminglu"))
    items = distinct_items(2)
    now = utcnow()
    for i in range(17):
        site = create_site(unit="guangminglu" if i % 3 == 0 else "xinhuaxilu",
                           name=f"{'东' if i % 4 == 0 else '西'}区工地{i:02d}",
                           status="suspended" if i % 5 == 0 else "active")
        for _ in range(rng.randrange(0, 4)):
            score = rng.choice((None, 65.0, 72.0, 72.0, 90.0))
            inspection = add_inspection(site, inspector, now - timedelta(days=rng.randrange(0, 40)), score,
                                        None if score is None else ("pass" if score < 85 else "excellent"))
            item = items[rng.randrange(2)]
            if rng.random() < 0.4 and not _has_open(site, item):  # one open violation per site and item
                add_violation(inspection, item, status="open", days=rng.choice((-3, 5)))  # -3: overdue
    db.session.commit()
    return create_user("supervisor", units=("xinhuaxilu", "guangminglu"))


def _has_open(site, item) -> bool:
    from sqlalchemy import select
    from inspect_app.penalties.models import Violation
    return db.session.scalar(select(Violation.id).where(Violation.site_id == site.id,
                                                        Violation.item_key == item.key)) is not None


def _ids(result) -> list[int]:
    return [row["site_id"] if isinstance(row, dict) else row.site_id for row in result["items"]]


def _rows(result) -> list[dict]:
    return [dict(row if isinstance(row, dict) else row._mapping) for row in result["items"]]


@pytest.mark.parametrize("sort", [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)])
def test_every_sort_and_filter_gives_the_rows_of_the_full_aggregate(district, sort):
    user: User = district
    now = utcnow()
    for filters in FILTERS:
        for page in (1, 2, 3, 5):
            fast = scorecard_page(user, now, filters, sort, page, 4)
            full = paginate_rows_with_total(scorecards(user, now, filters, sort), page, 4)
            assert fast["total"] == full["total"], (filters, page)
            assert _ids(fast) == _ids(full), (filters, page)
            assert _rows(fast) == _rows(full), (filters, page)


def test_the_page_takes_two_statements_however_many_sites(client, auth, checklists, count_queries):
    headers = auth.as_role("supervisor")
    inspector = create_user("inspector")
    now = utcnow()

    def add_sites(n):
        for i in range(n):
            add_inspection(create_site(name=f"工地{i}"), inspector, now - timedelta(days=1), 70.0 + i, "pass")
        db.session.commit()

    add_sites(3)
    with count_queries() as few:
        assert client.get("/api/scorecards?page_size=2", headers=headers).get_json()["total"] == 3
    add_sites(30)
    with count_queries() as many:
        page = client.get("/api/scorecards?page_size=2", headers=headers).get_json()
    assert page["total"] == 33 and [item["score"] for item in page["items"]] == [70.0, 70.0]
    assert len(many) == len(few)
    # the page's sites are picked from sites + site_stats; only they are aggregated
    assert sum("site_stats" in s and "inspections" not in s for s in many) == 1
