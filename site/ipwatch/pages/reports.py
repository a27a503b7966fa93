"""风险预警报告: the archive of reports and one page per report."""
from __future__ import annotations

from pathlib import Path

from ipwatch.pages.common import when


def report_rows(store) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM reports ORDER BY period DESC, industry")
    return [dict(r) for r in rows]


def report_page(row: dict) -> str:
    return f"reports/{row['period']}-{row['industry']}{'-sample' if row['is_sample'] else ''}.md"


def generate(ctx) -> None:
    rows = report_rows(ctx.store)
    lines = ["# 重点产业海外知识产权风险预警报告", "",
             "定期发布，统计单位为涉及纠纷的企业数；任何报告均不公开企业名称。", ""]
    if not rows:
        lines.append("暂无已发布的报告。")
    for row in rows:
        page = report_page(row)
        text = (Path(row["folder"]) / "report.md").read_text("utf-8")
        ctx.write(page, text)
        sample = "（示例数据）" if row["is_sample"] else ""
        lines.append(f"- [{row['period']} · {row['industry']}{sample}]({Path(page).name})"
                     f" — 生成于 {when(row['built_at'])}")
    ctx.write("reports/index.md", "\n".join(lines) + "\n")
