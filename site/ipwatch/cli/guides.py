"""``ipwatch guides check``: guide paragraphs to review (待复核), guides past their review
interval, and the content report per jurisdiction (topics, deadline rows, fee rows, article links,
relies, laws cited but not tracked);
``ipwatch guides reviewed``: a reviewer clears a 待复核 flag without editing the file."""
from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from crawlers.articles import zh_label
from ipwatch.cli import common
from ipwatch.guidecheck import crawled_problems, relies_problems, untracked_goals, untracked_laws
from kb.core.errors import IpwatchError
from kb.guides import load_guides
from kb.guides.checklist import load_checklist
from kb.guides.coverage import content_report, goal_problems
from kb.guides.stale import check_guides, mark_reviewed, reason

_HELP = """国别指南的维护。

编写规则见 kb/guides/README.md：每项事实链接官方来源（条文一级）、主题清单
kb/guides/checklist.yaml、服务机构名录 kb/guides/service_bodies.yaml、国别比较
kb/guides/comparison.yaml。复核后在文件头 review 中记录审核人和核对内容，并把 reviewed
改为复核当天的日期。公开页面不写内部路径或工作人员说明。官方费用写入实务指引「官方费用」小节的
四列表格（项目、官方费用、依据、核对日期），核对日期后括号注明核对的文本版本。指南引用某部法律的
条文时，该法律须在来源登记 crawlers/sources/ 中跟踪，否则 guides check 列为未达标。

示例：ipwatch guides check --format json
"""


def check_report(store, interval_days: int | None = None) -> dict:
    guides = load_guides()
    report = check_guides(guides, store, interval_days=interval_days)
    report["jurisdictions"] = content_report(guides, load_checklist())
    report["goals"] = goal_problems(report["jurisdictions"])
    report["relies_problems"] = relies_problems(guides) + crawled_problems(store, guides)
    untracked = untracked_laws(guides)
    for jurisdiction, counts in report["jurisdictions"].items():
        counts["untracked_laws"] = len({u.law for u in untracked if u.guide.jurisdiction == jurisdiction})
    report["goals"] += untracked_goals(untracked)
    report["untracked_laws"] = [
        {"file": str(u.guide.path), "line": u.line, "citation": u.text, "law": u.law, "url": u.url}
        for u in untracked
    ]
    return report


def register(app: typer.Typer) -> None:
    guides_app = typer.Typer(help=_HELP, no_args_is_help=True)
    app.add_typer(guides_app, name="guides")

    @guides_app.command("check")
    def check(fmt: str = common.format_option()) -> None:
        """列出待复核的段落（所依据的条款在复核日期之后有变化）、超过复核周期未复核的指南（设置项 guides.review_interval_days，默认 365 天）。

        各法域的内容统计：主题清单覆盖数、期限表行数、官方费用表行数、条文一级链接比例、relies 段落数、未跟踪的法律。

        这是一份报告：有待复核内容时退出码仍为 0。
        示例：ipwatch guides check --format json
        """
        settings = common.settings()
        with common.store() as store:
            report = check_report(store, settings["guides"]["review_interval_days"])
        if fmt == "json":
            common.emit_json(report)
            return
        _print_report(report)

    @guides_app.command("reviewed")
    def reviewed(
        where: str = typer.Argument(..., metavar="FILE:LINE", help="待复核段落的位置，如 de/laws.md:14"),
        by: str = typer.Option("", "--by", help="复核人姓名"),
        on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help="复核日期，默认今天"),
    ) -> None:
        """记录一个待复核段落已按其依据条文的修改复核完毕（不必手工改指南文件）；此后的新修改会再次标记。

        示例：ipwatch guides reviewed de/laws.md:14 --by 张三
        """
        try:
            day = date.fromisoformat(on) if on else date.today()
        except ValueError:
            raise IpwatchError(f"--on 的日期「{on}」无效：应为 YYYY-MM-DD") from None
        with common.store() as store:
            hits = mark_reviewed(store, load_guides(), where, by, day)
        for hit in hits:
            common.console.print(f"已复核 {where}：{reason(hit, zh_label, to_root='')}（{by} {day}）",
                                 markup=False, highlight=False, soft_wrap=True)


def _print_report(report: dict) -> None:
    say = common.console.print
    say(f"待复核段落：{len(report['stale'])}", markup=False)
    for hit in report["stale"]:
        say(
            f"- {hit['file']}:{hit['line']}〔{hit['heading']}〕依据 {hit['relies']}，"
            f"{hit['detected_at'][:10]} 变化 #{hit['change_id']}：{hit['excerpt']}",
            markup=False, highlight=False,
        )
    say(f"超过复核周期未复核的指南：{len(report['overdue'])}", markup=False)
    for guide in report["overdue"]:
        say(f"- {guide['file']}（复核日期 {guide['reviewed']}）", markup=False)
    say("各法域：主题（覆盖/不适用/共）· 期限表行数 · 官方费用表行数 · 未跟踪的法律 · 条文一级链接（含官方网站无条文地址的例外）· relies 段落",
        markup=False)
    for jurisdiction, c in report["jurisdictions"].items():
        def pct(key: str) -> str:
            return "—" if c[key] is None else f"{c[key]:.0%}"
        say(
            f"- {jurisdiction}：{c['topics_covered']}/{c['topics_not_applicable']}/{c['topics']} · "
            f"{c['deadline_rows']} · {c['fee_rows']} · {c['untracked_laws']} · {c['article_level']}/{c['article_citations']}（{pct('article_link_share')}；"
            f"含例外 {c['article_exceptions']} 处 {pct('article_link_share_with_exceptions')}）· "
            f"{c['relies_paragraphs']}",
            markup=False, highlight=False, soft_wrap=True,
        )
    for line in report["goals"] + report["relies_problems"]:
        say(f"未达标：{line}", markup=False, highlight=False, soft_wrap=True)
