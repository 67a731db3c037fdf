"""Fixtures of the legal-routing tests: the roadside fixtures (inspector, form, trucks) and a site."""
from tests.roadside.conftest import company, form, headers, inspector, make_vehicle, site, truck  # noqa: F401
from tests.penalties.world import world  # noqa: F401,E402  (fixture)
