"""The roadside list costs the same SQL statements for a page of 2 checks as for 12 different trucks."""
from __future__ import annotations

from tests import factories
from tests.roadside.helpers import truck_check

TRUCKS = 12


def test_the_roadside_list_loads_the_page_vehicles_together(client, auth, headers, form, make_vehicle,
                                                           count_queries):
    for n in range(TRUCKS):
        make_vehicle(plate=f"蒙A{30000 + n}")
        response = client.post("/api/roadside-checks", json=truck_check(form, f"蒙A{30000 + n}"), headers=headers)
        assert response.status_code == 201, response.get_json()
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    counts, plates = [], set()
    for page_size in (2, TRUCKS):
        with count_queries() as statements:
            response = client.get(f"/api/roadside-checks?page_size={page_size}", headers=supervisor)
        assert response.status_code == 200, response.get_json()
        counts.append(len(statements))
        plates = {row["vehicle"]["plate"] for row in response.get_json()["items"]}
    assert counts[0] == counts[1] <= 12
    assert len(plates) == TRUCKS  # every row still names its own registered vehicle
