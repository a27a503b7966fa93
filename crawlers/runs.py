"""Crawl runs as records: started, ended however they end, each with its log, and the last
outcome of every source for ``ipwatch crawl status``.

A run row is written before the crawl starts (``running``) and completed afterwards with its
status — ``finished``, ``time_limit`` (stopped by the crawl's own time limit), ``interrupted``
(Ctrl-C / SIGTERM) or ``failed`` (the crawl process broke: see its log). A source of the run
that has no ``fetch_log`` row from it did not finish; it gets the fetch problem
``not_finished`` and is fetched again by the next run like any other.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kb.core.store import Store, utcnow

LOGS_KEPT = 30

# Chinese reasons of the fetch problem codes (a code not listed is shown as it is).
REASONS = {
    "robots_disallowed": "robots.txt 不允许抓取", "robots_unavailable": "robots.txt 无法取得（超时、过大、出错或跳转到其他站点），按规定不抓取",
    "offsite_refused": "跳转到登记之外的站点，已拒绝", "scheme_refused": "非 http(s) 地址，已拒绝",
    "backed_off": "网站要求长时间暂停访问（Retry-After 超过上限），本次不再访问",
    "host_budget": "该网站本次用时超过上限，未完成部分下次重试", "too_large": "页面超过大小上限",
    "redirect_loop": "跳转次数过多", "timeout": "连接或下载超时", "truncated": "页面不完整",
    "mojibake": "乱码（编码错误）", "soft_404": "页面已不存在（返回的是“未找到”页面）",
    "maintenance_or_captcha": "网站维护中或要求验证码", "empty_extraction": "未提取到正文",
    "extract_hint_missed": "登记的正文位置在页面中找不到", "not_finished": "本次抓取未完成，下次重试",
    "page_lost": "页面失去了原有正文（疑为错误页或已撤下），未作为修改记录",
    "unconfirmed": "复核抓取结果不一致，视为页面噪声，未作为修改记录",
}
PREFIX_REASONS = {
    "http_": "网站返回 HTTP 状态 {}", "shrunk_": "正文大幅缩短（{}）",
    "error_": "连接出错：{}",
}
OUTCOMES = {"stored": "新快照", "changed": "发现修改", "unchanged": "未变化",
            "not_modified": "未修改（304）", "problem": "抓取问题", "never": "尚未抓取"}


TLS_REASONS = {
    "name_mismatch": "证书与网站名称不符", "expired": "证书已过期",
    "untrusted": "证书不受信任（自签名或签发机构不明）", "handshake_failed": "TLS 握手失败",
}


def reason(detail: str) -> str:
    """The Chinese reason of a fetch problem code."""
    if detail.startswith("tls_"):
        why, _, host = detail[4:].partition("@")
        return f"{host} 的证书校验失败：{TLS_REASONS.get(why, why)}；页面未采用"
    if detail in REASONS:
        return REASONS[detail]
    for prefix, text in PREFIX_REASONS.items():
        if detail.startswith(prefix):
            return text.format(detail[len(prefix):])
    return detail


def start_run(store: Store, source_ids: list[str], log: Path) -> tuple[int, str]:
    started = utcnow()
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO crawl_runs(started_at, status, log, sources) VALUES (?, 'running', ?, ?)",
            (started, str(log), json.dumps(source_ids)))
    return cur.lastrowid, started


def finish_run(store: Store, run_id: int, status: str, stats: dict) -> None:
    with store.write() as conn:
        conn.execute("UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                     (utcnow(), status, json.dumps(stats, sort_keys=True), run_id))


def mark_unfinished(store: Store, sources: list[tuple[str, str]], started: str) -> int:
    """A ``not_finished`` problem for each (source id, url) with no fetch_log row since
    ``started``; returns how many."""
    with store.write() as conn:  # read and write in one IMMEDIATE transaction
        done = {row[0] for row in conn.execute(
            "SELECT DISTINCT source_id FROM fetch_log WHERE fetched_at >= ?", (started,))}
        known = {row[0] for row in conn.execute("SELECT id FROM sources")}
        # a run killed before it registered its sources has none to mark
        missing = [(sid, url) for sid, url in sources if sid not in done and sid in known]
        for sid, url in missing:
            conn.execute(
                "INSERT INTO fetch_log(source_id, url, fetched_at, http_status, outcome, detail)"
                " VALUES (?, ?, ?, NULL, 'problem', 'not_finished')", (sid, url, utcnow()))
    return len(missing)


def new_log_path(data_dir: Path) -> Path:
    """``<data>/logs/crawl-<stamp>.log``; the oldest logs beyond ``LOGS_KEPT`` are removed."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = Path(data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("crawl-*.log"))[:-(LOGS_KEPT - 1)]:
        old.unlink(missing_ok=True)
    return folder / f"crawl-{stamp}.log"


def last_runs(store: Store, limit: int = 5) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT id, started_at, finished_at, status, log, stats FROM crawl_runs"
        " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [{"id": r[0], "started_at": r[1], "finished_at": r[2], "status": r[3], "log": r[4],
             "stats": json.loads(r[5] or "{}")} for r in rows]


def source_status(store: Store) -> list[dict[str, Any]]:
    """Per source, its outcomes in the last run that fetched it."""
    out = []
    for sid, title in store.conn.execute("SELECT id, title FROM sources ORDER BY id"):
        out.append(_one_source(store, sid, title))
    return out


def _one_source(store: Store, sid: str, title: str) -> dict[str, Any]:
    last = store.conn.execute("SELECT max(fetched_at) FROM fetch_log WHERE source_id = ?",
                              (sid,)).fetchone()[0]
    entry: dict[str, Any] = {"source_id": sid, "title": title, "last_fetched": last,
                             "outcome": "never", "pages": {}, "problems": [], "changes": 0,
                             "next_retry": "下次运行 ipwatch crawl 时"}
    if last is None:
        return entry
    run_start = store.conn.execute(
        "SELECT max(started_at) FROM crawl_runs WHERE started_at <= ?", (last,)).fetchone()[0]
    since = run_start or last
    rows = store.conn.execute(
        "SELECT url, outcome, detail FROM fetch_log WHERE source_id = ? AND fetched_at >= ?"
        " ORDER BY id", (sid, since)).fetchall()
    for _url, outcome, _detail in rows:
        entry["pages"][outcome] = entry["pages"].get(outcome, 0) + 1
    entry["problems"] = [{"url": u, "code": d, "reason": reason(d)}
                         for u, o, d in rows if o == "problem"]
    entry["changes"] = store.conn.execute(
        "SELECT count(*) FROM changes WHERE source_id = ? AND detected_at >= ?",
        (sid, since)).fetchone()[0]
    entry["outcome"] = ("problem" if entry["problems"] else "changed" if entry["changes"]
                        else "stored" if "stored" in entry["pages"]
                        else "not_modified" if "not_modified" in entry["pages"] else "unchanged")
    return entry
