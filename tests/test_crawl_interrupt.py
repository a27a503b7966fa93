"""Stopping ``ipwatch crawl`` and reading the store while a crawl compares (issue 10, item 3).

Real processes: ``python -m ipwatch crawl`` against a loopback server that answers slowly, its
child ``python -m crawlers.run`` found in /proc, the signal sent as a user or a service manager
would send it; then the store is read and crawled again.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawl_harness import source, store_conn, write_registry
from hostile_server import HostileServer, law_html, page, slow_drip

ALLOW_ALL = page("User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
LAW = law_html("Patentgesetz", [f"§ {i} Der Inhaber des Patents hat das Recht {i}." * 3
                                for i in range(1, 20)])


def _ipwatch(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ipwatch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, …
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_stopping_ipwatch_crawl_stops_its_child_and_records_the_run(tmp_path, how):
    config = tmp_path / "ipwatch.toml"
    config.write_text("[crawl]\ndownload_delay = 0.05\nconfirm_pause = 0.05\ntimeout = 600\n",
                      encoding="utf-8")
    with HostileServer({"/robots.txt": ALLOW_ALL, "/drip": slow_drip(0.2, 2000),
                        "/law": page(LAW)}) as server:
        registry = write_registry(tmp_path, [source("de-drip", f"{server.url}/drip")])
        # its own process group, as a shell gives a foreground job: Ctrl-C signals the group
        proc = _ipwatch("--config", str(config), "crawl", "--sources", str(registry),
                        start_new_session=True)
        _wait_for(lambda: "/drip" in server.paths())
        children = [pid for pid, cmd in _children(proc.pid) if "crawlers.run" in cmd]
        assert len(children) == 1, _children(proc.pid)
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        requests = len(server.paths())
        time.sleep(1.0)
        assert len(server.paths()) == requests  # nothing fetches any more
        assert proc.returncode == 130, err
        assert "Traceback" not in out + err and "抓取被中断" in out
        assert not _alive(children[0])  # the crawl process is gone, not left holding the store
        with store_conn() as conn:
            assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("interrupted",)]

        # the store is usable at once: read, and crawled again to its end
        listed = _ipwatch("changes", "--format", "json")
        assert json.loads(listed.communicate(timeout=60)[0]) == []
        assert listed.returncode == 0
        again = _ipwatch("--config", str(config), "crawl", "--sources",
                         str(write_registry(tmp_path, [source("de-law", f"{server.url}/law")])))
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        status = _ipwatch("crawl", "status", "--format", "json")
        shown = json.loads(status.communicate(timeout=60)[0])
        assert shown["last_run"]["status"] == "finished"
        with store_conn() as conn:
            assert conn.execute("SELECT status FROM crawl_runs ORDER BY id").fetchall() == [
                ("interrupted",), ("finished",)]


def test_ipwatch_changes_answers_while_the_crawl_pipeline_compares(tmp_path, monkeypatch, settings):
    """The pipeline compares outside any write transaction, and opening the store to read never
    writes: the real ``ipwatch changes`` (another process) answers in the middle of a
    comparison, and sees the change recorded before it."""
    from types import SimpleNamespace

    import crawlers.pipelines as pipelines
    from crawlers.items import PageItem
    from crawlers.registry import Source
    from kb.core.store import open_store

    with open_store(settings):
        pass  # created and migrated, as the first crawl does
    law = Source(id="de-x", jurisdiction="DE", kind="law_page", title="x", rights=("patent",),
                 url="https://law.example.org/x", language="de")
    stats = SimpleNamespace(inc_value=lambda *a, **k: None)
    no_confirmation = SimpleNamespace(getfloat=lambda name, default: 0.0)
    pipeline = pipelines.StorePipeline(str(settings.store_path),
                                       SimpleNamespace(stats=stats, settings=no_confirmation))
    pipeline.open_spider(SimpleNamespace(sources=[law]))
    answers = []
    real_compare = pipelines.compare_texts

    def compare_while_listing(old, new, src):
        started = time.monotonic()
        listed = _ipwatch("changes", "--format", "json")
        out, err = listed.communicate(timeout=60)
        answers.append((listed.returncode, json.loads(out) if out else None, err,
                        time.monotonic() - started))
        return real_compare(old, new, src)

    monkeypatch.setattr(pipelines, "compare_texts", compare_while_listing)
    texts = [f"§ 1 Alt\n\nText {n}. Der Inhaber des Patents hat das Recht."
             for n in ("eins", "zwei", "drei")]
    for text in texts:
        pipeline.process_item(PageItem("de-x", law.url, 200, text))
    pipeline.close_spider()
    assert len(answers) == 2
    first, second = answers
    assert first[0] == 0 and first[1] == [], first[2]
    assert second[0] == 0 and [c["source_id"] for c in second[1]] == ["de-x"], second[2]
    assert all("locked" not in err for _, _, err, _ in answers)
    assert all(seconds < 20 for *_, seconds in answers)  # not queued on a busy timeout
