"""The demo dataset: about 30 sites at plausible places in 回民区 and one user per role."""
from __future__ import annotations

import random

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

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = (
    ("inspector", "inspector", "王巡查", ["xinhuaxilu", "zhongshanxilu", "gangtielu", "hailaerxilu"]),
    ("inspector2", "inspector", "李巡查", ["guangminglu", "huanhejie", "tongdaojie", "youyouban"]),
    ("supervisor", "supervisor", "张督导", [code for code in UNIT_CENTRES]),
    ("enforcement", "enforcement", "赵执法", []),
    ("admin", "admin", "系统管理员", []),
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
