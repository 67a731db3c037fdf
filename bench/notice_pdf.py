"""How long a 整改通知书 PDF (6 items, 6 photo thumbnails, QR code) takes to render, and what it costs
in memory, with the library the app uses (ReportLab, through inspect_app.core.documents and the notice
template) and the alternatives rejected for it (fpdf2, WeasyPrint) drawing the same content.

    python bench/notice_pdf.py [--runs N] [--only reportlab|fpdf2|weasyprint]

Each library runs in a fresh process: "first" is the first render (font loading included), median and
p95 are over the N renders after it, "extra RSS" is the process's resident-memory high-water mark minus
its resident memory before the library was imported (the app's own modules, Pillow and segno are
loaded before that, as in a running app), so it counts the library, the font and the renders. Target for the chosen library: < 400 ms and < 80 MB extra RSS. Prints figures; asserts nothing.
The alternatives are not requirements of the app: install them to compare
(pip install fpdf2==2.8.9 weasyprint==70.0); a missing one is reported as such.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIBRARIES = ("reportlab", "fpdf2", "weasyprint")
ISSUED = "2026-11-25T09:50:00+08:00"


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def thumbnails(count: int = 6) -> list[bytes]:
    """320×240 JPEGs like the app's stored thumbnails (gradients and noise, quality 75)."""
    from PIL import Image

    result = []
    for n in range(count):
        base = Image.linear_gradient("L").resize((320, 240)).convert("RGB")
        noise = Image.effect_noise((320, 240), 40 + n).convert("RGB")
        picture = Image.blend(base, noise, 0.3)
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=75)
        result.append(buffer.getvalue())
    return result


def notice_content() -> dict:
    """A notice of six failed site items with their photos (as notices.operations builds it)."""
    texts = ["施工工地周边100%围挡", "物料堆放100%覆盖", "出入车辆100%冲洗", "施工现场地面100%硬化",
             "土方开挖100%湿法作业", "施工完工后和暂不施工的现场要做好覆盖工作，防止扬尘污染"]
    items = []
    for n, text in enumerate(texts):
        items.append({
            "item_key": f"item_{n}", "text_zh": text, "clause": f"六个百分之百 {'①②③④⑤⑥'[n]}",
            "legal_basis": {"law": "《中华人民共和国大气污染防治法》", "obligation_article": "第六十九条",
                            "penalty_article": "第一百一十五条", "fine_min": 10000, "fine_max": 100000,
                            "authority": "bureau"},
            "liable": "builder" if n == 5 else "contractor",
            "liable_name": "呼和浩特海亮房地产开发有限公司" if n == 5 else "内蒙古海亮建筑工程有限公司",
            "rectify_days": 3, "deadline": "2026-11-28T09:50:00+08:00", "deadline_date": "2026-11-28",
            "note": "东侧围挡缺失约20米，现场未见整改措施", "photo_ids": [str(uuid.UUID(int=n + 1))],
        })
    return {
        "kind": "site", "number": "回民扬整〔2026〕第00017号", "token": "bench-token-0123456789abcdef",
        "inspection": str(uuid.UUID(int=99)), "issued_at": ISSUED, "issue_date": "2026-11-25",
        "unit": "新华西路街道", "inspector": "王巡查",
        "site": {"id": 1, "name": "海亮广场二期", "address": "回民区新华西路 88 号",
                 "permit_number": "150103202611250101", "contractor": "内蒙古海亮建筑工程有限公司",
                 "builder": "呼和浩特海亮房地产开发有限公司"},
        "truck": None,
        "addressees": [{"party": "contractor", "name": "内蒙古海亮建筑工程有限公司"},
                       {"party": "builder", "name": "呼和浩特海亮房地产开发有限公司"}],
        "items": items,
        "consequences": ["逾期未整改或整改不到位的，由区城管执法局依据《中华人民共和国大气污染防治法》第一百一十五条依法处理，"
                         "可处10,000元以上100,000元以下罚款", "拒不改正的，依法责令停工整治"],
    }


URL = "https://inspect.example.cn/v/bench-token-0123456789abcdef"
SIGNATURE = base64.b64encode(bytes(range(64))).decode()


# ---- the chosen library: the app's own renderer and template ----

def reportlab_renderer():
    from inspect_app.core.documents import render_pdf
    from inspect_app.evidence.fonts import find_cjk_font
    from inspect_app.evidence.models import Photo
    from inspect_app.notices.models import Notice
    from inspect_app.notices.rendering import notice_document

    content, thumbs, font = notice_content(), thumbnails(), find_cjk_font(None)
    notice = Notice(content=content, status="issued", token=content["token"], signature=SIGNATURE,
                    key_id="0123456789abcdef")
    ids = [item["photo_ids"][0] for item in content["items"]]
    photos = {pid: Photo(uuid=pid, taken_at=datetime.fromisoformat(ISSUED)) for pid in ids}
    pictures = dict(zip(ids, thumbs))

    def render() -> bytes:
        return render_pdf(notice_document(notice, photos, pictures, URL), font)
    return render


# ---- the rejected alternatives, drawing the same content ----

def fpdf2_renderer():
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from inspect_app.evidence.fonts import find_cjk_font

    content, thumbs, font = notice_content(), thumbnails(), find_cjk_font(None)

    def render() -> bytes:
        pdf = FPDF(format="A4")
        pdf.add_font("cjk", "", font)
        pdf.set_font("cjk", size=10.5)
        pdf.set_keywords(f"notice-token:{content['token']} notice-signature:{SIGNATURE}")
        pdf.add_page()
        pdf.set_font_size(20)
        pdf.cell(0, 12, "整改通知书", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(12)
        pdf.cell(0, 8, content["number"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(10)
        site = content["site"]
        for label, value in (("被通知单位", "；".join(a["name"] for a in content["addressees"])),
                             ("工地名称", site["name"]), ("工地地址", site["address"]),
                             ("施工许可证号", site["permit_number"]), ("检查单位", content["unit"])):
            pdf.cell(35, 7, label)
            pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=(6, 27, 25, 14, 13, 15), text_align="LEFT",
                       headings_style=FontFace(emphasis="")) as table:  # the CJK font has no bold
            table.row(["序号", "问题（检查项）", "依据", "责任方", "整改期限", "现场记录"])
            for n, item in enumerate(content["items"], 1):
                basis = item["legal_basis"]
                table.row([str(n), f"{item['text_zh']}\n（{item['clause']}）",
                           f"{basis['law']}{basis['obligation_article']}；罚则：{basis['penalty_article']}",
                           item["liable_name"], item["deadline_date"], item["note"]])
        for line in content["consequences"]:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 4
        for n, thumb in enumerate(thumbs):
            if n % 3 == 0 and n:
                y += 45
            if y > 230:
                pdf.add_page()
                y = 20
            pdf.image(io.BytesIO(thumb), x=15 + (n % 3) * 60, y=y, w=55)
        _fpdf_qr(pdf, URL, 15, 250, 28)
        return bytes(pdf.output())
    return render


def _fpdf_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    import segno

    matrix = segno.make(data, error="m").matrix
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(x + col_index * module, y + row_index * module, module, module, style="F")


def weasyprint_renderer():
    from html import escape

    import segno
    import weasyprint

    content, thumbs = notice_content(), thumbnails()
    qr = segno.make(URL, error="m").svg_data_uri()
    rows = "".join(
        f"<tr><td>{n}</td><td>{escape(i['text_zh'])}<br>（{escape(i['clause'])}）</td>"
        f"<td>{escape(i['legal_basis']['law'])}{i['legal_basis']['obligation_article']}</td>"
        f"<td>{escape(i['liable_name'])}</td><td>{i['deadline_date']}</td><td>{escape(i['note'])}</td></tr>"
        for n, i in enumerate(content["items"], 1))
    images = "".join(f'<img src="data:image/jpeg;base64,{base64.b64encode(t).decode()}">' for t in thumbs)
    html = f"""<html><head><meta name="keywords" content="notice-token:{content['token']}"><style>
      @page {{ size: A4; margin: 18mm }} body {{ font-family: 'WenQuanYi Micro Hei'; font-size: 10.5pt }}
      h1 {{ text-align: center }} table {{ border-collapse: collapse; width: 100% }}
      td {{ border: .5pt solid black; vertical-align: top; font-size: 9pt }} img {{ width: 55mm; margin: 2mm }}
    </style></head><body><h1>整改通知书</h1><p style="text-align:center">{content['number']}</p>
    <p>被通知单位：{'；'.join(escape(a['name']) for a in content['addressees'])}</p>
    <p>工地名称：{escape(content['site']['name'])}　工地地址：{escape(content['site']['address'])}</p>
    <table>{rows}</table><p>{'<br>'.join(escape(line) for line in content['consequences'])}</p>
    <div>{images}</div><img style="width:28mm" src="{qr}"></body></html>"""

    def render() -> bytes:
        return weasyprint.HTML(string=html).write_pdf()
    return render


RENDERERS = {"reportlab": reportlab_renderer, "fpdf2": fpdf2_renderer, "weasyprint": weasyprint_renderer}


def measure(library: str, runs: int) -> dict:
    """In this process: import, render once, then ``runs`` more; times and memory."""
    # What an app process has loaded anyway (Flask, SQLAlchemy, the models, Pillow, segno) is loaded
    # before the baseline, so "extra RSS" is the PDF library, its font handling and the renders.
    import PIL.Image  # noqa: F401
    import segno  # noqa: F401

    import inspect_app.evidence.fonts  # noqa: F401
    import inspect_app.evidence.models  # noqa: F401
    import inspect_app.notices.operations  # noqa: F401

    baseline = _status_kb("VmRSS:")
    try:
        render = RENDERERS[library]()
    except ImportError as exc:
        return {"library": library, "missing": str(exc)}
    start = time.perf_counter()
    pdf = render()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"library": library, "first_ms": first, "median_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)],
            "extra_rss_mb": (_status_kb("VmHWM:") - baseline) / 1024, "bytes": len(pdf)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=LIBRARIES)
    parser.add_argument("--child", choices=LIBRARIES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.runs)))
        return
    print(f"notice PDF, 6 items + 6 thumbnails + QR, {args.runs} renders after the first, each library in a fresh process")
    print(f"{'library':<12}{'first ms':>10}{'median ms':>11}{'p95 ms':>9}{'extra RSS MB':>14}{'PDF KB':>9}")
    for library in (args.only,) if args.only else LIBRARIES:
        out = subprocess.run([sys.executable, __file__, "--child", library, "--runs", str(args.runs)],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"{library:<12}failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
            continue
        row = json.loads(out.stdout.strip().splitlines()[-1])
        if "missing" in row:
            print(f"{library:<12}not installed ({row['missing']})")
            continue
        chosen = "  ← used by the app" if library == "reportlab" else ""
        print(f"{library:<12}{row['first_ms']:>10.0f}{row['median_ms']:>11.1f}{row['p95_ms']:>9.1f}"
              f"{row['extra_rss_mb']:>14.1f}{row['bytes'] / 1024:>9.0f}{chosen}")


if __name__ == "__main__":
    main()
