"""Fixtures of the case-file tests: the penalty-queue world (one site, one person of every role)."""
from tests.penalties.world import world  # noqa: F401  (fixture)
