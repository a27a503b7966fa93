"""``ipwatch related``: guide sections, law changes and service bodies that fit a case."""
from __future__ import annotations

from typing import Optional

import typer

from ipwatch.cli import common
from kb.guides.related import related_guidance

_HEADINGS = {"sections": "指南小节", "changes": "近期法律动态", "bodies": "服务机构"}


def register(app: typer.Typer) -> None:
    @app.command("related")
    def related(
        jurisdiction: str = typer.Option(..., "--jurisdiction", help="国家或地区：代码（US）或名称（美国）"),
        right: Optional[str] = typer.Option(None, "--right", help="权利类别：patent、trademark 或申请表的类别（发明专利）"),
        dispute: Optional[str] = typer.Option(None, "--dispute", help="纠纷类型：infringement 或 侵权纠纷 等"),
        limit: int = typer.Option(5, "--limit", min=1, help="每类最多条数"),
        fmt: str = common.format_option(),
    ) -> None:
        """列出与纠纷相关的指南小节、近期法律动态和服务机构（供起草指导意见书）。

        示例：ipwatch related --jurisdiction US --right patent --dispute 侵权纠纷 --format json
        """
        with common.store() as store:
            data = related_guidance(
                common.settings(), store, jurisdiction=jurisdiction, right=right,
                dispute_type=dispute, limit=limit,
            )
        if fmt == "json":
            common.emit_json(data)
            return
        for key, heading in _HEADINGS.items():
            common.console.print(f"== {heading}（{len(data[key])}）", markup=False)
            for item in data[key]:
                common.console.print(
                    f"- {item['title']}\n  {item['url']}\n  {item['text']}", markup=False, highlight=False
                )
