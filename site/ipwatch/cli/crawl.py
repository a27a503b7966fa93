"""``ipwatch crawl`` and ``ipwatch crawl status``.

Exit status of ``ipwatch crawl`` (documented in the README): 0 the crawl ran to its end —
problems of foreign servers are listed by ``ipwatch crawl status``, they are not errors of
ipwatch; 1 bad input (registry, settings, unknown source); 2 ipwatch itself failed (see the
log named in the message); 3 stopped by its time limit (``crawl.time_limit``; what was left
is retried next run); 130 interrupted (Ctrl-C or SIGTERM).
"""
from __future__ import annotations

from typing import Optional

import typer

from ipwatch.cli import common
from kb.core.textnorm import strip_controls

EXIT_CODES = {"finished": 0, "failed": 2, "time_limit": 3, "interrupted": 130}
STATUS_ZH = {"finished": "已完成", "failed": "失败", "time_limit": "达到时间上限而停止",
             "interrupted": "被中断", "running": "进行中（或进程已被强制结束）"}


def _progress(event: dict) -> None:
    from crawlers.runs import OUTCOMES, reason

    outcome = OUTCOMES.get(event["outcome"], event["outcome"])
    detail = f"：{reason(event['detail'])}" if event.get("detail") else ""
    common.err_console.print(strip_controls(f"  {event['source_id']} {outcome}{detail}  {event['url']}"),
                             markup=False, highlight=False, soft_wrap=True)


def _summary(result) -> str:
    return (f"抓取{STATUS_ZH[result.status]}：{result.sources} 个来源，新快照 {result.count('stored')}，"
            f"未变化 {result.count('unchanged')}，未修改（304）{result.count('not_modified')}，"
            f"发现修改 {result.count('changes')}，抓取问题 {result.count('problem')}"
            f"（未完成 {result.unfinished}）。详情：ipwatch crawl status；日志：{result.log}")


def run(sources: Optional[str], only: Optional[str], fmt: str) -> None:
    from crawlers.run import run_crawl  # imported here: keeps `ipwatch --help` fast
    from kb.guides.search import refresh

    settings = common.settings()
    result = run_crawl(settings, sources=sources, only=only,
                       progress=_progress if fmt != "json" else None)
    if result.count("changes"):
        refresh(settings, common.store())  # new changes are searchable at once
    if fmt == "json":
        keys = ("stored", "unchanged", "not_modified", "changes", "problem")
        common.emit_json({**{key: result.count(key) for key in keys}, "sources": result.sources,
                          "errors": result.errors, "status": result.status,
                          "unfinished": result.unfinished, "log": result.log})
    else:
        common.console.print(_summary(result), markup=False, highlight=False, soft_wrap=True)
    code = EXIT_CODES[result.status]
    if result.errors and code == 0:
        code = 2
    if code == 2:
        common.err_console.print(f"错误：抓取程序本身出错（{result.errors} 条错误记录），"
                                 f"请查看日志 {result.log}", markup=False, highlight=False,
                                 soft_wrap=True)
    raise typer.Exit(code)


def status(fmt: str) -> None:
    from crawlers.runs import OUTCOMES, last_runs, source_status

    with common.store() as store:
        rows, runs = source_status(store), last_runs(store, 1)
    if fmt == "json":
        common.emit_json({"last_run": runs[0] if runs else None, "sources": rows})
        return
    from rich.table import Table

    if runs:
        run_ = runs[0]
        common.console.print(f"最近一次抓取：{run_['started_at']} — {STATUS_ZH.get(run_['status'], run_['status'])}；"
                             f"日志 {run_['log']}", markup=False, highlight=False)
    table = Table("来源", "最近抓取", "结果", "页面", "问题及原因", "下次重试")
    for row in rows:
        pages = "，".join(f"{OUTCOMES.get(k, k)} {v}" for k, v in row["pages"].items())
        problems = "；".join(f"{p['reason']}（{p['url']}）" for p in row["problems"][:3])
        retry = row["next_retry"] if row["problems"] or row["outcome"] == "never" else ""
        table.add_row(row["source_id"], row["last_fetched"] or "—",
                      OUTCOMES.get(row["outcome"], row["outcome"]),
                      strip_controls(pages), strip_controls(problems), retry)
    common.console.print(table)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="抓取登记的法律来源；crawl status 查看每个来源最近一次的结果。\n\n"
                             "示例：ipwatch crawl --only de-patg", rich_markup_mode=None)

    @group.callback(invoke_without_command=True)
    def crawl(
        ctx: typer.Context,
        sources: Optional[str] = typer.Option(None, "--sources", metavar="PATH",
                                              help="来源登记文件或目录（YAML）；默认为内置登记"),
        only: Optional[str] = typer.Option(None, "--only", metavar="SOURCE_ID",
                                           help="只抓取这一个来源"),
        fmt: str = common.format_option(),
    ) -> None:
        """抓取登记的法律来源，保存变化的页面快照并记录（经复核确认的）修改。

        退出码：0 完成（外国网站的问题见 crawl status，不算程序错误）；1 输入错误；2 程序出错；
        3 达到时间上限；130 被中断。

        示例：ipwatch crawl --only de-patg
        """
        if ctx.invoked_subcommand is None:
            run(sources, only, fmt)

    @group.command("status")
    def crawl_status(fmt: str = common.format_option()) -> None:
        """每个来源最近一次抓取的结果：抓取时间、未变化/有修改/问题及其中文原因、下次重试。

        示例：ipwatch crawl status --format json
        """
        status(fmt)

    app.add_typer(group, name="crawl")
