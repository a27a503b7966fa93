"""Issue 11: ``case purge`` while another program reads the store. On the earlier main it
reported success and the purged bytes stayed in the files; now it waits for sole use or fails
clearly having deleted nothing, and reports success only once the bytes are verified gone."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from kb.cases import importer as caseimport, workflow as cases
from kb.core import scrub
from kb.core.errors import IpwatchError

CANARY = {"contact_name": "雀哨兵", "contact_email": "purge.canary@example.org",
          "address": "韶关市曲江区哨兵路 77 号"}
READER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT COUNT(*) FROM case_contacts").fetchone()  # holds a read snapshot
print("reading", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _rejected_case(store, settings, tmp_path) -> str:
    path = write_export(sample_application(**CANARY), tmp_path / "a.json")
    [result] = caseimport.import_file(store, settings, path, actor="李四", on="2026-09-30")
    cases.advance(store, settings, result["number"], "reject", actor="李四", note="重复申请", on="2026-10-09")
    return result["number"]


def _reader(store, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", READER, str(store.path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "reading"
    return proc


def _raw(store) -> bytes:
    return b"".join(p.read_bytes() for p in scrub.store_files(store))


def test_purge_fails_clearly_and_deletes_nothing_while_another_reader_holds_the_store(
        case_settings, case_store, tmp_path):
    number = _rejected_case(case_store, case_settings, tmp_path)
    reader = _reader(case_store, 30)
    try:
        with pytest.raises(IpwatchError, match="数据库正被其他程序.*读取，已等待 1 秒，未删除任何信息"):
            cases.purge_contacts(case_store, date(2027, 10, 9), wait_seconds=1)
    finally:
        reader.kill()
        reader.wait()
    assert cases.get_case(case_store, number, with_contacts=True)["contact"] is not None


def test_purge_waits_for_a_reader_then_verifies_the_bytes_are_gone(case_settings, case_store, tmp_path):
    number = _rejected_case(case_store, case_settings, tmp_path)
    reader = _reader(case_store, 2)
    started = time.monotonic()
    try:
        assert cases.purge_contacts(case_store, date(2027, 10, 9), wait_seconds=60) == [number]
    finally:
        reader.wait(timeout=60)
    assert time.monotonic() - started >= 1  # it waited for the reader
    raw = _raw(case_store)
    for value in CANARY.values():
        assert value.encode("utf-8") not in raw, value


def test_a_reader_arriving_after_the_delete_makes_purge_fail_not_succeed(case_settings, case_store,
                                                                         tmp_path, monkeypatch):
    """The window between the delete and the checkpoint: a reader of the old snapshot then
    keeps the bytes in the file; purge must say so instead of reporting success."""
    number = _rejected_case(case_store, case_settings, tmp_path)
    real_scrub, readers = scrub.scrub, []

    def reader_first(store, values, wait_seconds):
        readers.append(_reader(store, 30))
        return real_scrub(store, values, wait_seconds)

    monkeypatch.setattr(scrub, "scrub", reader_first)
    try:
        with pytest.raises(IpwatchError, match="旧数据尚未从磁盘文件中清除"):
            cases.purge_contacts(case_store, date(2027, 10, 9), wait_seconds=1)
    finally:
        for proc in readers:
            proc.kill()
            proc.wait()
    monkeypatch.setattr(scrub, "scrub", real_scrub)
    assert cases.purge_contacts(case_store, date(2027, 10, 9), wait_seconds=5) == []  # re-run: scrubs
    raw = _raw(case_store)
    assert number and all(value.encode("utf-8") not in raw for value in CANARY.values())
