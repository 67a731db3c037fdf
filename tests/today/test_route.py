"""Route order: nearest neighbour + 2-opt on straight-line distance, from the inspector's position."""
from __future__ import annotations

import itertools
import math
import random

import pytest

from inspect_app.today.route import _nearest_neighbour, plan_route


def flat(a, b):
    """Plane distance on (x, y) points: tables read like a drawing."""
    return math.dist(a, b)


@pytest.mark.parametrize(("start", "stops", "order", "total"), [
    ((0, 0), [], (), 0.0),
    (None, [], (), 0.0),
    ((0, 0), [(3, 4)], (0,), 5.0),
    (None, [(3, 4)], (0,), 0.0),  # without a position the day starts at the first stop
    ((0, 0), [(10, 0), (1, 0)], (1, 0), 10.0),
    (None, [(10, 0), (1, 0)], (0, 1), 9.0),
    # a line walked in order whatever order the stops were listed in
    ((0, 0), [(3, 0), (1, 0), (4, 0), (2, 0)], (1, 3, 0, 2), 4.0),
    # ties (two stops 1 away): the one listed first goes first
    ((0, 0), [(0, 1), (1, 0)], (0, 1), 1 + math.sqrt(2)),
])
def test_route_table(start, stops, order, total):
    route = plan_route(start, stops, distance=flat)
    assert route.order == order
    assert route.total_m == pytest.approx(total)
    assert len(route.legs_m) == len(stops) and sum(route.legs_m) == pytest.approx(route.total_m)


def test_against_brute_force_on_200_seeded_days():
    """Never longer than nearest neighbour alone, optimal on most days, within 12% on the worst."""
    optimal = improved = 0
    for seed in range(200):
        rng = random.Random(seed)
        stops = [(rng.random() * 10, rng.random() * 10) for _ in range(rng.randint(3, 7))]
        route = plan_route((5, 5), stops, distance=flat)
        path = lambda order: [(5, 5)] + [stops[i] for i in order]  # noqa: E731
        length = lambda order: sum(flat(a, b) for a, b in zip(path(order), path(order)[1:]))  # noqa: E731
        best = min(length(order) for order in itertools.permutations(range(len(stops))))
        table = [[flat(a, b) for b in [(5, 5)] + stops] for a in [(5, 5)] + stops]
        greedy = _nearest_neighbour(table, 0)
        greedy_length = sum(table[a][b] for a, b in zip(greedy, greedy[1:]))
        assert route.total_m <= greedy_length + 1e-9
        assert route.total_m <= best * 1.12
        assert route.total_m == pytest.approx(length(route.order))
        optimal += route.total_m <= best + 1e-9
        improved += route.total_m < greedy_length - 1e-9
    assert optimal >= 150 and improved >= 100


def test_a_stop_left_behind_the_start_is_moved_to_the_front():
    # Nearest neighbour from (0,0) walks right, then must come all the way back for (-1.5, 0).
    stops = [(1, 0), (2, 0), (-1.5, 0), (3, 0)]
    route = plan_route((0, 0), stops, distance=flat)
    greedy_total = 1 + 1 + 1 + 4.5  # (1,0) (2,0) (3,0) then back to (-1.5,0)
    assert route.total_m < greedy_total
    assert route.total_m == pytest.approx(1.5 + 4.5)  # (-1.5,0) first, then left to right
    assert route.order == (2, 0, 1, 3)


def test_route_legs_are_geodesic_metres_by_default():
    # 0.01° of latitude is about 1,111 m at Hohhot's latitude
    route = plan_route((40.82, 111.65), [(40.83, 111.65)])
    assert route.legs_m[0] == pytest.approx(1110.9, abs=1.0)


def test_equal_inputs_give_equal_routes():
    stops = [(40.82 + 0.001 * (i % 5), 111.65 + 0.0013 * (i * 7 % 11)) for i in range(12)]
    assert plan_route((40.82, 111.65), stops) == plan_route((40.82, 111.65), stops)
    assert sorted(plan_route((40.82, 111.65), stops).order) == list(range(12))
