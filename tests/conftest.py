"""Shared fixtures. Every test runs with IPWATCH_DATA in a temporary folder and no settings
file, so no test ever reads or writes a real store."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.demo_mirror import build_demo_mirror
from crawlers.mirror import MirrorServer
from kb.core.settings import load_settings
from kb.core.store import Store

# Loopback mirrors are local: a short delay keeps tests quick (politeness has its own tests).
TEST_DELAY = 0.02


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("IPWATCH_DATA", str(folder))
    monkeypatch.delenv("IPWATCH_CONFIG", raising=False)
    return folder


@pytest.fixture
def settings(data_dir):
    return load_settings()


@pytest.fixture
def store(settings):
    with Store(settings.store_path) as opened:
        yield opened


@pytest.fixture
def demo_mirror(tmp_path: Path):
    """The bundled demo mirror on loopback, in its first state: (server, state1, state2)."""
    state1, state2 = build_demo_mirror(tmp_path / "mirror")
    with MirrorServer([state1]) as server:
        yield server, state1, state2


@pytest.fixture
def crawl_settings(settings, demo_mirror):
    server = demo_mirror[0]
    return settings.with_values(crawl={"mirror": server.url, "download_delay": TEST_DELAY,
                                       "confirm_pause": TEST_DELAY})
