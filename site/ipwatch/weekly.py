"""``ipwatch run weekly``: the staff's routine in one command, for a timer to start.

crawl every registered source → check the guides (paragraphs to review, guides past their
review date) → list overdue cases → rebuild the site → send the staff digest by e-mail when
there is something to act on (a substantive law change, an overdue case, a paragraph to
review) and mail is set up. Each step's outcome goes into the summary; a failed step does not
stop the later ones (a site is still rebuilt after a crawl that failed), and the run's exit
status says whether everything worked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ipwatch import digest
from kb.cases import clock, workdays
from kb.core.errors import IpwatchError
from kb.core.settings import Settings
from kb.core.store import open_store, utcnow
from kb.guides import load_guides
from kb.guides.stale import check_guides
from kb.laws.changes import list_changes


@dataclass
class WeeklyResult:
    started_at: str
    crawl: dict[str, int] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)  # substantive, found by this run
    stale: list[dict[str, Any]] = field(default_factory=list)
    guides_overdue: list[dict[str, Any]] = field(default_factory=list)
    cases_overdue: list[dict[str, Any]] = field(default_factory=list)
    source_titles: dict[str, str] = field(default_factory=dict)  # source id → law title
    site: str = ""
    mail: str = ""  # what happened to the digest, in Chinese
    failures: list[str] = field(default_factory=list)  # "step：reason"
    warnings: list[str] = field(default_factory=list)  # to act on before something fails

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def _step(result: WeeklyResult, name: str, action: Callable[[], None]) -> None:
    """Run one step; a user-level failure (IpwatchError) is recorded and the run goes on."""
    try:
        action()
    except IpwatchError as error:
        result.failures.append(f"{name}：{error}")


def run_weekly(settings: Settings, *, out: Path | None = None, today: date | None = None,
               sources: str | Path | None = None, step: Callable[[str], None] = lambda _: None) -> WeeklyResult:
    from crawlers.run import run_crawl  # imported here: keeps `ipwatch --help` fast
    from ipwatch.sitebuild import build_site

    result = WeeklyResult(started_at=utcnow())

    def crawl() -> None:
        step("抓取登记的法律来源")
        run = run_crawl(settings, sources=sources)
        result.crawl = {key: run.count(key) for key in ("stored", "unchanged", "changes", "problem")}
        result.crawl["sources"] = run.sources

    def review() -> None:
        step("检查国别指南（待复核段落、超过复核期的指南）并列出超期案件")
        with open_store(settings) as store:
            result.changes = [c for c in list_changes(store, since=result.started_at) if c["substantive"]]
            report = check_guides(load_guides(), store, today,
                                  interval_days=settings["guides"]["review_interval_days"])
            result.stale, result.guides_overdue = report["stale"], report["overdue"]
            gap = workdays.calendar_gap(today or workdays.today(), workdays.extra_from(settings))
            if gap is not None:
                result.warnings.append(
                    f"工作日日历缺少 {gap} 年的节假日安排：办理时限跨入 {gap} 年的案件将无法计算期限。"
                    f"请按国务院办公厅公布的 {gap} 年部分节假日安排，在设置文件 [calendar] 中填写"
                    f"（years、holidays、workdays），或升级 chinese_calendar")
            result.cases_overdue = clock.overdue(store, settings, today)
            result.source_titles = {row["id"]: row["title"] for row in store.conn.execute("SELECT id, title FROM sources")}

    def site() -> None:
        step("构建网站")
        with open_store(settings) as store:
            result.site = str(build_site(settings, store, out))

    _step(result, "抓取", crawl)
    _step(result, "检查", review)
    _step(result, "构建网站", site)
    step("发送工作摘要邮件")

    def mail() -> None:
        result.mail = digest.deliver(settings, result)

    _step(result, "邮件摘要", mail)
    return result
