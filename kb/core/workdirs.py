"""Temporary work folders under the data folder, cleaned at the next start.

A crawl or a site build works in ``<data>/tmp/<prefix>-<pid>-<random>``. The folder is
removed when the work ends; a process killed with ``kill -9`` leaves it behind, so every
start first removes the folders whose process is gone.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def tmp_root(data_dir: Path) -> Path:
    return Path(data_dir) / "tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _owner(folder: Path) -> int | None:
    parts = folder.name.split("-")
    return int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None


def clean_stale(data_dir: Path) -> list[Path]:
    """Remove the work folders whose process no longer runs; return them."""
    root = tmp_root(data_dir)
    if not root.is_dir():
        return []
    stale = [f for f in root.iterdir()
             if f.is_dir() and (_owner(f) is None or not _alive(_owner(f)))]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


@contextmanager
def work_dir(data_dir: Path, prefix: str) -> Iterator[Path]:
    """A fresh folder ``<data>/tmp/<prefix>-<pid>-…``, removed afterwards."""
    root = tmp_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    clean_stale(data_dir)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
