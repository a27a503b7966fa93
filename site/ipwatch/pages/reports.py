"""风险预警报告: the archive, one page per report (charts, XLSX annex, DOCX), an Atom feed per
industry, and the disclosure audit that fails the build if any published cell can be recovered.
"""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from alerts.counts import ALL, KEY_INDUSTRIES, industry_label
from alerts.render import esc, render_markdown
from alerts.report import audit_files, report_title, resolve_industry
from kb.core.periods import parse_period
from ipwatch import sitebuild
from ipwatch.pages.common import intake_cta

SECTION = "风险预警报告"
ATOM = "http://www.w3.org/2005/Atom"
FILES = ("annex.xlsx", "report.docx")


def report_rows(store, settings=None) -> list[dict]:
    """The reports, newest period first (with ``settings``: only those the site can publish —
    never a sample report from the official record, only from a demo folder)."""
    rows = [dict(r) for r in store.conn.execute("SELECT * FROM reports ORDER BY period DESC, industry, is_sample")]
    if settings is None:
        return rows
    return [r for r in rows if (r["withdrawn_at"] or (settings.data_dir / r["folder"] / "report.json").is_file())
            and (settings.is_demo or not r["is_sample"])]


def slug(row: dict) -> str:
    return f"{row['period']}-{resolve_industry(row['industry'])}{'-sample' if row['is_sample'] else ''}"


def report_page(row: dict) -> str:
    return f"reports/{slug(row)}.md"


def _title(row: dict, data: dict) -> str:
    return ("【已撤回】" if row.get("withdrawn_at") else "") + ("【示例数据】" if row["is_sample"] else "") + data["title"]


def withdrawn_data(row: dict) -> dict:
    """What the site still says of a withdrawn report (its files are gone): a notice."""
    period = parse_period(row["period"])
    title = row["title"] or report_title(row["period"], resolve_industry(row["industry"]))
    notice = (f"本报告已于 {row['withdrawn_at'][:10]} 撤回。撤回原因：{row['withdrawn_reason']}")
    return {"title": title, "period_label": period.label, "industry": resolve_industry(row["industry"]),
            "industry_label": row["industry"], "summary": notice, "notice": notice, "withdrawn": True,
            "sections": []}


def withdrawn_page(data: dict) -> str:
    return "\n".join([f"# {esc(data['title'])}（已撤回）", "", '!!! danger "已撤回"',
                      f"    {esc(data['notice'])}", "", "本报告的文件已从网站撤下，请勿再引用其中的数据。", ""])


def _publish_one(ctx, row: dict) -> dict:
    if row.get("withdrawn_at"):
        data = withdrawn_data(row)
        ctx.write(f"reports/{slug(row)}.md", withdrawn_page(data))
        return data
    folder = ctx.settings.data_dir / row["folder"]
    data = json.loads((folder / "report.json").read_text("utf-8"))
    name = slug(row)
    cta = "\n".join(["", *intake_cta(ctx.settings, f"reports/{name}.md")])
    ctx.write(f"reports/{name}.md", render_markdown(data, base=f"{name}/") + cta)
    for chart in sorted((folder / "charts").glob("*.png")):
        ctx.copy(chart, f"reports/{name}/charts/{chart.name}")
    for file in FILES:
        ctx.copy(folder / file, f"reports/{name}/{file}")
    return data


def _archive(rows: list[tuple[dict, dict]]) -> str:
    lines = ["# 重点产业海外知识产权风险预警报告", "",
             "按月、季度、年度定期发布。统计单位为涉及纠纷的不同企业数；为保护企业商业秘密，"
             "少于公布阈值的数据及可据以推算的数据不予公布，任何报告均不出现企业名称。", ""]
    if any(row["is_sample"] for row, _ in rows):
        lines += ['!!! warning "示例数据"', "    标有【示例数据】的报告由示例数据生成，仅用于演示。", ""]
    lines += ["订阅（Atom）：" + "　".join(
        f"[{industry_label(code)}](feeds/{code}.xml)" for code in [ALL, *KEY_INDUSTRIES]), ""]
    if not rows:
        return "\n".join(lines + ["暂无已发布的报告。", ""])
    lines += ["| 报告期 | 行业 | 概要 | 下载 |", "|---|---|---|---|"]
    for row, data in rows:
        name = slug(row)
        label = (("【已撤回】" if data.get("withdrawn") else "") + ("【示例数据】" if row["is_sample"] else "")
                 + ("【初步数据】" if data.get("provisional") else "") + data["period_label"])
        downloads = "—" if data.get("withdrawn") else f"[XLSX]({name}/annex.xlsx) [DOCX]({name}/report.docx)"
        lines.append(f"| [{label}]({name}.md) | {data['industry_label']} | {esc(data['summary'])} | {downloads} |")
    return "\n".join(lines + [""])


def atom_feed(code: str, rows: list[tuple[dict, dict]], updated: str) -> bytes:
    """An Atom feed of the reports concerning one industry (its own and the all-industry ones)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{industry_label(code)}：海外知识产权风险预警报告"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:ipwatch:reports:{code}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{code}.xml")
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "ipwatch"
    for row, data in rows:
        if data["industry"] not in (code, ALL):
            continue
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _title(row, data)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:ipwatch:report:{slug(row)}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = row.get("withdrawn_at") or row["built_at"]
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"../{slug(row)}.html")
        if data.get("withdrawn"):
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = data["notice"]
            continue
        section = next((s for s in data["sections"] if s["industry"] == code), data["sections"][0])
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = (
            ("示例数据。" if row["is_sample"] else "") + ("初步数据。" if data.get("provisional") else "")
            + " ".join(section["narrative"]))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def generate(ctx) -> None:
    published = [(row, _publish_one(ctx, row)) for row in report_rows(ctx.store, ctx.settings)]
    ctx.write("reports/index.md", _archive(published))
    updated = max((row.get("withdrawn_at") or row["built_at"] for row, _ in published),
                  default="2000-01-01T00:00:00+00:00")
    for code in [ALL, *KEY_INDUSTRIES]:
        ctx.write_bytes(f"reports/feeds/{code}.xml", atom_feed(code, published, updated))
    for row, data in published[:12]:
        ctx.add_nav(SECTION, _title(row, data).replace("海外知识产权风险预警报告", "报告"), report_page(row))


@sitebuild.check
def disclosure_audit(ctx) -> None:
    """No published cell is below the threshold, none can be recovered from published totals."""
    problems = audit_files(ctx.settings, ctx.store)
    if problems:
        raise sitebuild.BuildError("披露控制审核未通过：\n" + "\n".join(problems[:20]))


__all__ = ["generate", "report_rows", "report_page"]
