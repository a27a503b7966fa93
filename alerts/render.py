"""The report as a Markdown page (for the site and the data folder).

Every text that comes from outside (law-change titles and summaries, crawled) is escaped for
Markdown/HTML; numbers are ours. Suppressed cells show ``*``.
"""
from __future__ import annotations

import html
from urllib.parse import quote

from alerts import risk
from alerts.assemble import change_pct
from kb.cases.workdays import local_date
from kb.core import choices

SAMPLE_BANNER = ('!!! warning "示例数据"\n    本报告由**示例数据**生成，仅用于演示，不反映任何真实企业或纠纷情况。\n')
DISCLOSURE_NOTE = (
    "统计单位为涉及纠纷的不同企业数（同一企业在同一类别中只计一次，一家企业可能涉及多个国家或权利类别，"
    "各项之和可能大于合计）。各表数据来自本区受理的纠纷案件；为保护企业商业秘密（《统计法》第二十五条），"
    "少于 {t} 家企业的数据及可据以推算这些数据的其他数据以 * 表示，不予公布。"
    "标明“公开纠纷记录”的表格来自已公开的纠纷信息（如美国 337 调查公告），不涉及保密，全部公布，"
    "未计入本区案件数据。"
)
PROVISIONAL_BANNER = ('!!! warning "初步数据"\n    报告期{period}尚未结束，本报告为**初步数据**（数据截至 {until}），'
                      '仅供参考；报告期结束后将发布正式报告并替换本报告。\n')


def provisional_note(data: dict) -> str:
    """One line saying a report is provisional (初步数据), for every file of it."""
    return (f"初步数据：报告期{data['period_label']}尚未结束，数据截至 {data.get('data_until', '')}，"
            "以正式报告为准。")


PUBLIC_HEADING = "公开纠纷记录（来源：已公开的纠纷信息，不涉及保密）"


def esc(text: str) -> str:
    """Escape text for a Markdown table cell or paragraph (no HTML, no Markdown syntax)."""
    out = html.escape(str(text or ""), quote=True)
    for ch in "\\`*_[]|<>#":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def safe_url(url: str) -> str:
    """A crawled URL made safe inside Markdown link parentheses (no spaces, brackets, quotes)."""
    return quote(url, safe=":/?#@!$&*+,;=%~-._")


def cell(value) -> str:
    return "*" if value is None else str(value)


def _table(rows: list[dict], name: str) -> list[str]:
    lines = [f"| {name} | 本期 | 上期 | 环比 | 去年同期 | 同比 |", "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['label']} | {cell(r['current'])} | {cell(r['previous'])} | "
                     f"{change_pct(r['current'], r['previous'])} | {cell(r['last_year'])} | "
                     f"{change_pct(r['current'], r['last_year'])} |")
    return lines


def _scores(section: dict) -> list[str]:
    if not section["scores"]:
        return ["本期没有可公布的国家/地区风险评分。"]
    lines = ["| 国家/地区 | 风险评分 | 等级 | 主要原因 |", "|---|---:|---|---|"]
    for s in section["scores"]:
        lines.append(f"| {choices.label(choices.COUNTRIES, s['country'])} | {s['score']} | {s['level']} | "
                     f"{'；'.join(s['reasons'])} |")
    return lines


def _laws(section: dict) -> list[str]:
    if not section["laws"]:
        return ["本期未发现与本行业相关的目标市场法律修改记录。"]
    lines = ["| 国家/地区 | 日期 | 法律/来源 | 修改内容 |", "|---|---|---|---|"]
    for law in section["laws"]:
        title = f"[{esc(law['title'])}]({safe_url(law['url'])})" if law["url"].startswith(("http://", "https://")) else esc(law["title"])
        articles = ("（" + "、".join(esc(a) for a in law["articles"][:8]) + "）") if law["articles"] else ""
        lines.append(f"| {esc(law['jurisdiction_label'])} | {law['date']} | {title} | {esc(law['summary'])}{articles} |")
    return lines


def _section(section: dict, data: dict, chart_base: str, level: str) -> list[str]:
    out = [f"{level} {section['title']}", "", *section["narrative"], ""]
    out += [f"![{section['label']}：纠纷国家/地区分布]({chart_base}countries-{section['industry']}.png)", ""]
    out += [f"{level}# 涉及企业数", "", *_table([section["total"]], "项目"), ""]
    for dim, rows in section["tables"].items():
        out += [f"{level}# {data['dim_labels'][dim]}", "", *_table(rows, data["dim_labels"][dim]), ""]
    if section.get("public"):
        public = section["public"]
        out += [f"{level}# {PUBLIC_HEADING}", "", *public.get("narrative", []), "",
                *_table([public["total"]], "项目"), ""]
        for dim, rows in public["tables"].items():
            out += [f"{level}## {data['dim_labels'][dim]}（公开纠纷记录）", "", *_table(rows, data["dim_labels"][dim]), ""]
    out += [f"{level}# 风险评分", "", *_scores(section), ""]
    out += [f"{level}# 本期相关法律修改", "", *_laws(section), ""]
    out += [f"{level}# 应对建议", ""]
    out += [f"{i}. **{r['title']}**：{r['text']}" + (f"（参见：[{r['source_label']}]({r['source_url']})）"
                                                       if r.get("source_url") else "")
            for i, r in enumerate(section["recommendations"], 1)]
    return out + [""]


def render_markdown(data: dict, base: str = "", downloads: bool = True) -> str:
    """The report page; ``base`` prefixes the report's own files (charts, annex, DOCX)."""
    charts = f"{base}charts/"
    out = [f"# {data['title']}", ""]
    if data["is_sample"]:
        out += [SAMPLE_BANNER]
    if data.get("provisional"):
        out += [PROVISIONAL_BANNER.format(period=data["period_label"], until=data.get("data_until", ""))]
    out += [f"报告期：{data['period_label']}　对比期：上期 {data['periods']['previous']}，"
            f"去年同期 {data['periods']['last_year']}　生成时间：{local_date(data['built_at']).isoformat()}", ""]
    if downloads:
        out += [f"下载：[统计附表（XLSX）]({base}annex.xlsx)　[打印版（DOCX）]({base}report.docx)", ""]
    out += ["## 概要", "", *data["sections"][0]["narrative"], ""]
    out += [f"![企业数趋势]({charts}trend.png)", "", f"![风险评分]({charts}risk.png)", ""]
    level = "##" if len(data["sections"]) == 1 else "###"
    if len(data["sections"]) > 1:
        out += ["## 分行业情况", ""]
    for section in data["sections"]:
        out += _section(section, data, charts, level)
    out += ["## 说明", "", DISCLOSURE_NOTE.format(t=data["threshold"]), "",
            "风险评分 = 35×规模（该国企业数 ÷ 本行业企业数最多的国家的企业数）+ 20×增长（较上期或去年同期，取大者，"
            "最高按 100% 计）+ 15×本行业 NPE 占比 + 15×本行业重大/疑难占比 + 15×相关法律修改（3 项及以上计满分），满分 100，"
            "60 分以上为高、35–59 为中、其余为低；输入数据未公布的项按 0 计。",
            "行业与权利类别的对应：" + "；".join(
                f"{choices.label(choices.FIELDS, k)}：" + "、".join(
                    choices.label(choices.LAW_RIGHTS, r) for r in sorted(v)) for k, v in risk.INDUSTRY_RIGHTS.items()) + "。", ""]
    return "\n".join(out)
