"""首页: the latest substantive law changes (with their 解读 or digest) and the latest reports."""
from __future__ import annotations

from ipwatch.changeview import ChangeView, change_view
from ipwatch.pages.changes import anchor, date_label, page_of, sorted_views
from ipwatch.pages.common import intake_cta, md_escape, place
from ipwatch.pages.reports import report_page, report_rows
from kb.core.textnorm import safe_url
from kb.laws.changes import list_changes
from kb.laws.digest import LABEL as DIGEST_LABEL
from kb.laws.notes import PENDING

LATEST = 8
DIGEST_LINES = 3  # the home page is read on phones: the first lines of a digest, then a link


def change_item(view: ChangeView) -> list[str]:
    """One change: date, place, summary linked to its page; its published 解读, else the first
    lines of its digest marked 自动摘要 and 待解读."""
    change = view.change
    target = f"changes/{page_of(change['jurisdiction'])}#{anchor(change)}"
    lines = [f"- **{date_label(view)} · {place(change['jurisdiction'])}** "
             f"[{md_escape(change['summary'])}]({target}) （[官方文本]({safe_url(change['url'])})）"]
    if view.published:
        return lines + [f"    - 解读：{md_escape(' '.join(view.published['text'].split()))}"]
    digest = view.digest_lines()
    more = "……" if len(digest) > DIGEST_LINES else ""
    if digest:
        lines.append(f"    - {DIGEST_LABEL}：{md_escape('；'.join(digest[:DIGEST_LINES]))}{more}")
    return lines + [f"    - 解读：{PENDING}"]


def generate(ctx) -> None:
    office = ctx.settings["office"]
    views = sorted_views([change_view(ctx.store, c) for c in list_changes(ctx.store)
                          if c["substantive"]])[:LATEST]
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
    if views:
        # a list, not a table: the home page is read on phones
        for view in views:
            lines += change_item(view)
        lines += ["", "[全部法律动态](changes/index.md)"]
    else:
        lines.append("暂未发现法律修改。")
    lines += ["", "## 最新风险预警报告", ""]
    if reports:
        for row in reports:
            sample = ("（示例数据）" if row["is_sample"] else "") + ("（初步数据）" if row.get("provisional") else "") \
                + ("（已撤回）" if row.get("withdrawn_at") else "")
            lines.append(f"- [{row['period']} · {row['industry']}{sample}]({report_page(row)})")
    else:
        lines.append("暂无已发布的报告。")
    ctx.write("index.md", "\n".join(lines) + "\n")
