"""首页: the latest law changes and the latest report."""
from __future__ import annotations

from ipwatch.pages.common import intake_cta, md_escape, place, when
from ipwatch.pages.reports import report_page, report_rows
from kb.core.textnorm import safe_url
from kb.laws.changes import list_changes


def generate(ctx) -> None:
    office = ctx.settings["office"]
    # editorial-only changes (whitespace, a repaired heading, a date) are shown on the change
    # pages but are not news: never on the home page
    changes = [c for c in list_changes(ctx.store, limit=100) if c["substantive"]][:10]
    reports = report_rows(ctx.store, ctx.settings)[:3]
    lines = [
        f"# {office['short_name']}",
        "",
        f"{office['name']}会同{'、'.join(office['partners'])}，为我区涉外企业提供国外知识产权法律动态、"
        "国别指南、海外纠纷应对指导和重点产业风险预警。",
        "",
        # call to action (申请指导), kept as one block
        *intake_cta(ctx.settings, "index.md",
                    lead="收到律师函、被起诉、展会被投诉、货物被海关扣留……"),
        "## 最新法律动态",
        "",
    ]
    if changes:
        # a list, not a table: the home page is read on phones
        lines += [f"- **{when(c['detected_at'])} · {place(c['jurisdiction'])}** "
                  f"{md_escape(c['summary'])} （[官方文本]({safe_url(c['url'])})）" for c in changes]
        lines += ["", "[全部法律动态](changes/index.md)"]
    else:
        lines.append("暂未发现法律修改。")
    lines += ["", "## 最新风险预警报告", ""]
    if reports:
        for row in reports:
            sample = "（示例数据）" if row["is_sample"] else ""
            lines.append(f"- [{row['period']} · {row['industry']}{sample}]({report_page(row)})")
    else:
        lines.append("暂无已发布的报告。")
    ctx.write("index.md", "\n".join(lines) + "\n")
