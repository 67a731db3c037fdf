"""Seeding the live server through its own API: inspections with a failed veto item (which queue a
penalty case), their photos, and queue moves, so the desk screens have real work to show."""
from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _applies(item: dict, phase: str, now: datetime) -> bool:
    phases = item.get("phases") or ["all"]
    if "all" not in phases and phase not in phases:
        return False
    win = item.get("window")
    if not win:
        return True
    md, hm = now.strftime("%m-%d"), now.strftime("%H:%M")
    date_ok = True
    if win.get("start") and win.get("end"):
        s, e = win["start"], win["end"]
        date_ok = s <= md <= e if s <= e else (md >= s or md <= e)
    time_ok = True
    if win.get("start_time") and win.get("end_time"):
        s, e = win["start_time"], win["end_time"]
        time_ok = s <= hm < e if s < e else (hm >= s or hm < e)  # 22:00–06:00 wraps midnight
    return date_ok and time_ok


def sites_of(api, username: str = "inspector", count: int = 10) -> list[dict]:
    """Sites the inspector may inspect, farthest from the phone's demo position first, so the
    phone tests (which take the nearest) and the seeded work do not meet."""
    items = api.get(f"/api/sites?near=40.8200,111.6500&page_size=100", username)["items"]
    return list(reversed(items))[:count]


def submit_inspection(api, camera, site: dict, *, fail_veto: bool = True, username: str = "inspector") -> dict:
    """A complete inspection of ``site`` (every item passed, or the first veto item failed with its
    photos), submitted and its photos uploaded. Returns the server's inspection."""
    form = api.get("/api/checklists", username)["site"]
    now = datetime.now(SHANGHAI)
    started = (now - timedelta(minutes=20)).isoformat(timespec="seconds")
    items = [i for i in form["items"] if _applies(i, site["phase"], now)]
    veto = next(i for i in items if i["veto"]) if fail_veto else None
    answers, photos = [], {}
    for item in items:
        if veto is not None and item["key"] == veto["key"]:
            ids = [str(uuidlib.uuid4()) for _ in range(max(item["photos_on_fail"], 1))]
            photos.update({pid: camera() for pid in ids})
            answers.append({"key": item["key"], "outcome": "fail", "note": "围挡缺失，现场无人整改", "photo_ids": ids})
        else:
            answers.append({"key": item["key"], "outcome": "pass", "note": "", "photo_ids": []})
    gps = {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 8.0, "datum": "WGS84", "captured_at": started}
    body = {"uuid": str(uuidlib.uuid4()), "site_id": site["id"], "checklist_version_ids": form["version_ids"],
            "started_at": started, "finished_at": now.isoformat(timespec="seconds"),
            "gps_start": gps, "gps_finish": {**gps, "captured_at": now.isoformat(timespec="seconds")},
            "items": answers}
    res = api.post("/api/inspections", body, username)
    assert res.status_code == 201, res.get_json()
    for pid, data in photos.items():
        put = api.client.put(f"/api/inspections/{body['uuid']}/photos/{pid}", data=data,
                             headers={**api.headers(username), "Content-Type": "image/jpeg"})
        assert put.status_code in (200, 201), put.get_json()
        put.close()
    return api.get(f"/api/inspections/{body['uuid']}", username)


def case_of(api, inspection_uuid: str, username: str = "supervisor") -> dict:
    """The penalty case the inspection queued."""
    cases = api.get("/api/penalty-cases?page_size=100", username)["items"]
    return next(c for c in cases if c["inspection"] == inspection_uuid)


def move_case(api, case_id: int, to: str, username: str = "supervisor", **fields) -> dict:
    res = api.post(f"/api/penalty-cases/{case_id}/transitions", {"to": to, **fields}, username)
    assert res.status_code in (200, 201), res.get_json()
    return res.get_json()


def submit_roadside_check(api, plate: str, *, fail: tuple[str, ...] = ("truck_sealed",), username: str = "inspector") -> dict:
    """A roadside truck check of ``plate`` with the ``fail`` items failed (with the photo ids their rule
    needs; the photos themselves are not uploaded) and every other item passed. Returns the stored check."""
    form = api.get("/api/checklists", username)["truck"]
    now = datetime.now(SHANGHAI)
    started = (now - timedelta(minutes=5)).isoformat(timespec="seconds")
    answers = []
    for item in form["items"]:
        failed = item["key"] in fail
        ids = [str(uuidlib.uuid4()) for _ in range(max(item["photos_on_fail"], 1))] if failed else []
        if item["key"] == "truck_filed" and not ids:
            ids = [str(uuidlib.uuid4())]  # the plate photo
        answers.append({"key": item["key"], "outcome": "fail" if failed else "pass",
                        "note": "苫盖不严" if failed else "", "photo_ids": ids})
    body = {"uuid": str(uuidlib.uuid4()), "plate": plate, "checklist_version_ids": form["version_ids"],
            "started_at": started, "finished_at": now.isoformat(timespec="seconds"), "items": answers}
    res = api.post("/api/roadside-checks", body, username)
    assert res.status_code == 201, res.get_json()
    return res.get_json()
