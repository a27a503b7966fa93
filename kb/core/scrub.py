"""Deleting personal data so that its bytes are gone from the store's files, not just hidden.

SQLite in WAL mode keeps the old version of every changed page in the ``-wal`` file and, for
as long as another connection reads an older snapshot, cannot copy the new pages back over
the old ones in the main file. So a purge (1) waits until no other connection holds the store
(or fails clearly, having deleted nothing), (2) deletes with ``secure_delete`` (freed space
zeroed), (3) checkpoints with TRUNCATE — again waiting for readers — and VACUUMs if needed,
and (4) reads the files' bytes to verify that the purged values are gone.
"""
from __future__ import annotations

import time
from pathlib import Path

from kb.core.errors import IpwatchError
from kb.core.store import BUSY_TIMEOUT_MS, Store

POLL_SECONDS = 0.2
OTHER_PROGRAMS = "其他程序（另一个 ipwatch 命令、网站构建或数据库查看工具）"


def _checkpoint_until(store: Store, deadline: float) -> bool:
    """Checkpoint and empty the WAL; False when a reader still held an old snapshot at ``deadline``."""
    try:
        while True:
            remaining = deadline - time.monotonic()
            store.conn.execute(f"PRAGMA busy_timeout = {max(1, min(int(remaining * 1000), 1000))}")
            busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def wait_for_sole_use(store: Store, wait_seconds: float) -> None:
    """Return once no other connection reads the store; else a Chinese error after the wait.

    A write of the unchanged ``user_version`` puts a frame in the WAL: its checkpoint cannot
    finish while another connection holds an older read snapshot."""
    version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    with store.write() as conn:
        conn.execute(f"PRAGMA user_version = {int(version)}")
    if not _checkpoint_until(store, time.monotonic() + wait_seconds):
        raise IpwatchError(f"数据库正被{OTHER_PROGRAMS}读取，已等待 {wait_seconds:g} 秒，未删除任何信息；"
                           f"请关闭这些程序后重新运行")


def store_files(store: Store) -> list[Path]:
    path = Path(store.path)
    return [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal"))
            if p.exists()]


def remaining(store: Store, values: set[str]) -> set[str]:
    """The values whose UTF-8 bytes are still somewhere in the store's files."""
    data = b"".join(p.read_bytes() for p in store_files(store))
    return {v for v in values if v.encode("utf-8") in data}


def scrub(store: Store, values: set[str], wait_seconds: float) -> None:
    """After a delete: make sure ``values`` are gone from the files, or say why not."""
    deadline = time.monotonic() + wait_seconds
    if not _checkpoint_until(store, deadline):
        raise IpwatchError(f"信息已从数据表删除，但{OTHER_PROGRAMS}仍在读取数据库，旧数据尚未从磁盘文件中清除；"
                           f"请关闭这些程序后重新运行本命令（会再次清除并核实）")
    if remaining(store, values):
        store.conn.execute("VACUUM")
        _checkpoint_until(store, deadline)
    left = remaining(store, values)
    if left:
        raise IpwatchError(f"信息已从数据表删除，但数据库文件中仍有 {len(left)} 项残留，核实未通过；"
                           f"请勿继续使用此数据库副本，联系管理员处理")
