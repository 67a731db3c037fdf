"""A roadside truck check keeps its identity everywhere it is listed: the plate and the haulage company
in my inspections, the review queue and page, the case list and the case page (issue 12)."""
from tests.inspections.helpers import site_form, submission
from tests.roadside.helpers import truck_check


def _post(client, headers, body):
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_my_inspections_and_the_review_queue_show_the_plate_and_company(client, auth, headers, form, truck,
                                                                         company):
    body = _post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}))
    expected = {"plate": "蒙A12345", "plate_colour": truck.plate_colour, "company": company.name}
    assert body["truck"] == expected
    mine = client.get("/api/inspections?mine=1", headers=headers).get_json()["items"]
    assert [i["truck"] for i in mine] == [expected]
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    queue = client.get("/api/inspections?review_status=submitted", headers=supervisor).get_json()["items"]
    assert [i["truck"] for i in queue] == [expected]
    page = client.get(f"/api/inspections/{body['uuid']}", headers=supervisor).get_json()
    assert page["truck"] == expected and page["site"] is None


def test_an_unregistered_plate_still_names_the_truck(client, headers, form):
    body = _post(client, headers, truck_check(form, plate="蒙A99999"))
    assert body["truck"]["plate"] == "蒙A99999" and body["truck"]["company"] is None


def test_the_case_list_and_page_name_the_truck_and_its_company(client, auth, headers, form, truck, company):
    _post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}))
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    [listed] = client.get("/api/penalty-cases", headers=supervisor).get_json()["items"]
    assert listed["truck"] == {"plate": "蒙A12345", "company": company.name} and listed["site"] is None
    case = client.get(f"/api/penalty-cases/{listed['id']}", headers=supervisor).get_json()
    assert case["truck"] == {"plate": "蒙A12345", "company": company.name}


def test_a_site_inspection_carries_no_truck(client, headers, site):
    response = client.post("/api/inspections", json=submission(site_form(client, headers), site), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["truck"] is None


def test_listing_many_truck_checks_loads_their_identity_per_page_not_per_row(client, auth, headers, form,
                                                                               make_vehicle, count_queries):
    for n in range(6):
        make_vehicle(plate=f"蒙A1000{n}")
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))

    def statements_for(count):
        for n in range(count):
            _post(client, headers, truck_check(form, plate=f"蒙A1000{n}", outcomes={"truck_sealed": "fail"}))
        with count_queries() as inspections:
            items = client.get("/api/inspections?page_size=50", headers=supervisor).get_json()["items"]
        with count_queries() as cases:
            listed = client.get("/api/penalty-cases", headers=supervisor).get_json()["items"]
        assert all(i["truck"]["company"] for i in items) and all(c["truck"]["plate"] for c in listed)
        return len(inspections), len(cases)

    two = statements_for(2)
    six = statements_for(6)  # four more checks (the first two plates again, and four new ones)
    assert six == two
