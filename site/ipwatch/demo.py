"""``ipwatch demo``: the main job on bundled data, with no internet.

Serve the bundled mirror of real German law pages on loopback, crawl it, switch the mirror to
the later state of the laws, crawl again (the changes are recorded), build a quarterly report
from generated sample disputes (labelled 示例数据), and build the site.

The demo never touches the official record: it always works in a data folder of its own —
``~/.local/share/ipwatch-demo``, or the sub-folder ``demo`` of ``IPWATCH_DATA`` when that is set
— marked as a demo folder (``IPWATCH-DEMO.txt``) and started afresh each time. A folder without
the mark is never emptied. Only in a marked folder may sample data be generated and published.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alerts.report import build_report
from alerts.sample import DEFAULT_ROWS, load_sample
from crawlers.demo_mirror import build_demo_mirror, demo_registry
from crawlers.mirror import MirrorServer
from crawlers.run import run_crawl
from ipwatch.sitebuild import build_site
from kb.cases.demo import run_case_demo
from kb.core.errors import IpwatchError
from kb.core.settings import DEMO_MARKER, ENV_DATA, Settings
from kb.core.store import open_store

DEMO_DATA_DIR = Path.home() / ".local" / "share" / "ipwatch-demo"
# The mirror is on this machine: a short delay keeps the demo quick and still polite to it.
DEMO_DELAY = 0.05


@dataclass
class DemoResult:
    data_dir: Path
    site: Path
    changes: int
    report_period: str
    case_number: str = ""
    opinion: Path | None = None


def last_full_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3  # the quarter before the current one, 0 = last year's Q4
    return f"{today.year - 1}Q4" if quarter == 0 else f"{today.year}Q{quarter}"


def demo_data_dir() -> Path:
    """The demo's own folder: never the data folder itself, which may hold the official record."""
    data = os.environ.get(ENV_DATA)
    return Path(data).expanduser() / "demo" if data else DEMO_DATA_DIR


def demo_settings(settings: Settings) -> Settings:
    """Settings over a fresh demo folder; a non-empty folder without the demo mark is refused."""
    folder = demo_data_dir()
    if folder.exists() and any(folder.iterdir()) and not (folder / DEMO_MARKER).is_file():
        raise IpwatchError(f"演示数据目录 {folder} 已有其他数据（没有演示标记 {DEMO_MARKER}），"
                           "为免覆盖正式记录，演示不会清空它；请移走该目录或设置另一个 IPWATCH_DATA")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / DEMO_MARKER).write_text(
        "本目录由 ipwatch demo 建立，只含示例数据（示例数据），每次演示会清空重建。\n"
        "This folder holds the ipwatch demo's sample data and is emptied by every demo run.\n",
        encoding="utf-8")
    return Settings(values=settings.values, source=settings.source, data_dir=folder)


def run_demo(settings: Settings, out: Path | None = None,
             step: Callable[[str], None] = lambda _: None) -> DemoResult:
    settings = demo_settings(settings)
    step("准备内置的法律网站镜像（德国专利法、商标法、实用新型法、外观设计法的两个真实版本）")
    state1, state2 = build_demo_mirror(settings.data_dir / "demo-mirror")
    with MirrorServer([state1]) as mirror:
        crawl_settings = settings.with_values(crawl={"mirror": mirror.url, "download_delay": DEMO_DELAY,
                                                     "confirm_pause": DEMO_DELAY})
        step(f"第一次抓取（镜像 {mirror.url}）")
        first = run_crawl(crawl_settings, sources=demo_registry())
        mirror.set_layers([state2, state1])
        step("镜像切换到法律的较新版本，第二次抓取")
        second = run_crawl(crawl_settings, sources=demo_registry())
    if first.errors or second.errors:
        raise IpwatchError("演示抓取时记录了错误，请查看日志")
    store = open_store(settings)
    period = last_full_quarter(date.today())
    step(f"生成示例纠纷数据（{DEFAULT_ROWS} 条，标注“示例数据”，与真实记录分开保存）")
    load_sample(store, DEFAULT_ROWS)
    step(f"用示例数据生成 {period} 风险预警报告（图表、统计附表、打印版）")
    build_report(settings, store, period, sample=True)
    step("导入示例申请书，受理、对接、会商，起草指导意见书（示例数据）")
    number, opinion = run_case_demo(settings, store)
    step("构建网站（并检查没有任何申请人信息被发布）")
    site = build_site(settings, store, out)
    return DemoResult(settings.data_dir, site, second.count("changes"), period, number, opinion)
