"""Fixtures of the decision tests: the penalty-queue world plus a second bureau user."""
from __future__ import annotations

import pytest

from inspect_app.core.signals import case_decided
from tests import factories
from tests.penalties.world import world  # noqa: F401  (fixture)


@pytest.fixture
def bureau(world, auth):  # noqa: F811
    """The world with a second enforcement user (``enforcement2``) to confirm reductions."""
    world.users["enforcement2"] = factories.create_user("enforcement", units=())
    world.headers["enforcement2"] = auth.headers(world.users["enforcement2"])
    return world


@pytest.fixture
def decided_signals():
    """Every case_decided sent while the test runs: (case id, actor id, outcome)."""
    seen = []

    def receiver(case, **extra):
        seen.append((case.id, extra["actor"].id, extra["outcome"]))

    case_decided.connect(receiver)
    yield seen
    case_decided.disconnect(receiver)
