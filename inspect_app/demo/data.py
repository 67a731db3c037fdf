"""The demo dataset: about 30 sites at plausible places in 回民区, one user per role, and a few muck
trucks with their haulage companies."""
from __future__ import annotations

import random
from datetime import date, timedelta

from inspect_app.organisations.credit_code import check_character
from inspect_app.sites.models import PHASES

# Rough centres per unit inside the district extent (WGS-84); sites scatter ~1.5 km around them.
UNIT_CENTRES = {
    "xinhuaxilu": (40.8200, 111.6500),
    "zhongshanxilu": (40.8120, 111.6560),
    "guangminglu": (40.8050, 111.6300),
    "hailaerxilu": (40.8330, 111.6280),
    "huanhejie": (40.8000, 111.6480),
    "tongdaojie": (40.8250, 111.6420),
    "gangtielu": (40.8150, 111.6150),
    "youyouban": (40.8400, 111.5600),
}

SITE_NAMES = (
    "海西路棚户区改造项目", "新华西街综合体", "钢铁路小学扩建工程", "攸攸板安置房二期", "光明路地下管网改造",
    "通道街商住楼", "环河街滨河绿道", "中山西路地铁配套", "呼和佳地三期", "公园西路老旧小区改造",
    "西二环快速路辅道", "回民区第二医院门诊楼", "巴彦淖尔路立交桥", "锡林郭勒北路拓宽工程", "阿拉善南路市政道路",
    "大学西街住宅小区", "果园西路物流仓储", "攸攸板镇集体产业园", "成吉思汗西街商业街", "石羊桥西路回迁楼",
    "县府街小学改建", "海拉尔西路城中村拆除", "新华西路供热站", "光明路批发市场改造", "钢铁路职工住宅楼",
    "环河街污水提升泵站", "通道南街清真寺周边改造", "西龙王庙村拆迁地块", "乌素图路综合管廊", "金川开发区道路工程",
)

CONTRACTORS = (
    "内蒙古兴泰建设集团有限公司", "呼和浩特市城建工程有限责任公司", "中建二局第三建筑工程有限公司",
    "内蒙古巨华集团大华建筑安装有限公司", "中铁二十一局集团第五工程有限公司", "呼和浩特市市政工程有限公司",
)

BUILDERS = ("回民区住房和城乡建设局", "呼和浩特市城市建设投资有限公司", "回民区教育局", "内蒙古某置业有限公司")
SUPERVISORS = ("内蒙古建科工程监理有限公司", "呼和浩特市正信建设监理有限责任公司")


def demo_organisations() -> list[dict]:
    """The demo contractors, builders and supervisors as records. Their credit codes are made up
    (division 150103 = 回民区) with a correct GB 32100 check character, so they pass validation."""
    names = (*CONTRACTORS, *BUILDERS, *SUPERVISORS)
    records = []
    for index, name in enumerate(names, start=1):
        first17 = f"91150103MA0{index:05d}1"
        records.append({"name": name, "credit_code": first17 + check_character(first17),
                        "address": "内蒙古自治区呼和浩特市回民区", "contact_name": "办公室",
                        "contact_phone": f"0471-66{index:05d}"})
    return records


def demo_site_parties(index: int) -> dict[str, str]:
    """Which demo organisations build, contract and supervise the ``index``-th demo site (by name)."""
    return {"contractor": CONTRACTORS[index % len(CONTRACTORS)], "builder": BUILDERS[index % len(BUILDERS)],
            "supervisor": SUPERVISORS[index % len(SUPERVISORS)]}

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = (
    ("inspector", "inspector", "王巡查", ["xinhuaxilu", "zhongshanxilu", "gangtielu", "hailaerxilu"]),
    ("inspector2", "inspector", "李巡查", ["guangminglu", "huanhejie", "tongdaojie", "youyouban"]),
    ("supervisor", "supervisor", "张督导", [code for code in UNIT_CENTRES]),
    ("enforcement", "enforcement", "赵执法", []),
    ("admin", "admin", "系统管理员", []),
)
# Enforcement users of the other authorities (each sees only its own queue; referrals are recorded by a
# supervisor) and a second bureau user, who confirms a reduced fine (减轻处罚) another one proposed:
# username, display name, authority.
DEMO_AUTHORITY_USERS = (
    ("enforcement2", "钱执法", "bureau"),
    ("traffic", "孙交管", "traffic_police"),
    ("housing", "周住建", "housing"),
    ("ecology", "吴环保", "ecology"),
)


def demo_sites(seed: int = 2026) -> list[dict]:
    """Thirty sites spread over the eight units, deterministic for a given seed."""
    rng = random.Random(seed)
    units = list(UNIT_CENTRES)
    sites = []
    for index, name in enumerate(SITE_NAMES):
        unit = units[index % len(units)]
        lat0, lon0 = UNIT_CENTRES[unit]
        phase = PHASES[index % 6]  # "finished" sites are not in the active demo list
        sites.append({
            "name": name,
            "permit_number": f"150103{2024 + index % 3}{index:04d}0101",
            "contractor": CONTRACTORS[index % len(CONTRACTORS)],
            "builder": BUILDERS[index % len(BUILDERS)],
            "address": f"回民区{name[:4]}附近",
            "unit": unit,
            "lat": round(lat0 + rng.uniform(-0.012, 0.012), 6),
            "lon": round(lon0 + rng.uniform(-0.015, 0.015), 6),
            "datum": "WGS84",
            "geofence_radius_m": rng.choice((150.0, 200.0, 300.0)),
            "phase": phase,
            "contact_name": rng.choice(("刘工", "陈经理", "高工", "孙主任")),
            "contact_phone": f"1390471{rng.randint(1000, 9999)}",
        })
    return sites


# Muck trucks (渣土车) for the roadside check, one per path the check takes: filed, filing expired,
# not filed, and a light truck whose rated load a realistic load exceeds. DEMO_UNKNOWN_PLATE is
# deliberately not registered, so typing it shows the unknown-plate finding.
DEMO_COMPANIES = (
    {"name": "呼和浩特市顺达渣土运输有限公司", "licence_number": "呼建渣运许〔2025〕011号",
     "contact_name": "马经理", "contact_phone": "13904710011"},
    {"name": "内蒙古青城建筑垃圾清运有限公司", "licence_number": "呼建渣运许〔2024〕027号",
     "contact_name": "白经理", "contact_phone": "13904710027"},
)
DEMO_VEHICLES = (
    # plate, company (index into DEMO_COMPANIES), rated load t, filing status, filing expires (an ISO date,
    # or N: 31 December N years from now, so a valid filing stays valid), approval no., the path it
    # demonstrates, the sites it serves (indexes into SITE_NAMES)
    ("蒙A20001", 0, 18.0, "filed", 2, "呼建渣核〔2026〕001号", "filed", (0, 1)),
    ("蒙A20002", 0, 25.0, "filed", "2025-06-30", "呼建渣核〔2025〕042号", "filing_expired", (2,)),
    ("蒙A20003", 1, 8.0, "filed", 1, "呼建渣核〔2026〕015号", "overload", (3, 4)),
    ("蒙A20004", 1, 20.0, "unfiled", None, None, "unfiled", ()),
)
DEMO_UNKNOWN_PLATE = "蒙A29999"


def _expiry(value: str | int | None, today: date) -> date | None:
    if isinstance(value, int):
        return date(today.year + value, 12, 31)
    return date.fromisoformat(value) if value else None


def demo_vehicles(today: date | None = None) -> list[dict]:
    """The demo trucks as ``trucks.operations.create_vehicle`` data, without ``company_id``/``site_ids``
    (resolved by name when loading) but with ``company`` and ``sites`` names and the ``path`` shown."""
    today = today or date.today()
    vehicles = []
    for plate, company, rated, status, expires, approval, path, sites in DEMO_VEHICLES:
        vehicles.append({
            "plate": plate, "company": DEMO_COMPANIES[company]["name"], "rated_load_t": rated,
            "filing_status": status, "filing_expires_on": _expiry(expires, today),
            "approval_number": approval, "path": path, "sites": [SITE_NAMES[i] for i in sites],
        })
    return vehicles


# 夜间施工证明: one site may work tonight (a continuous concrete pour), another's permit ran out last month.
# (site name, number, issuing office, first night and last night relative to today, hours, works)
DEMO_NIGHT_PERMITS = (
    ("海西路棚户区改造项目", "回住建夜证〔2026〕第031号", "回民区住房和城乡建设局", -1, 12, ("22:00", "06:00"),
     "主体结构混凝土连续浇筑"),
    ("新华西街综合体", "回住建夜证〔2026〕第017号", "回民区住房和城乡建设局", -40, -30, ("22:00", "02:00"),
     "钢结构吊装"),
)


def demo_night_permits(today: date) -> list[tuple[str, dict]]:
    """The demo permits as (site name, ``nightwork.operations.create_permit`` data)."""
    return [(site, {"number": number, "issuing_office": office, "valid_from": today + timedelta(days=first),
                    "valid_to": today + timedelta(days=last), "start_time": hours[0], "end_time": hours[1],
                    "works": works, "note": None})
            for site, number, office, first, last, hours, works in DEMO_NIGHT_PERMITS]

