"""The alerts tests' users and helpers."""
from tests.alerts.conftest import alert_world  # noqa: F401  (fixture)
