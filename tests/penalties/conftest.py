"""Fixtures shared by the review and penalty-queue tests."""
from tests.penalties.world import world  # noqa: F401  (fixture)
