"""Shared set-up of the search tests: a data folder, a store with sources and changes, and a
copy of the fixture guides (tests/data/guides) that a test may edit."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.laws.changes import record_change
from kb.core.store import open_store

FIXTURE_GUIDES = Path(__file__).parent / "data" / "guides"

SOURCES = [
    ("de-patg", "DE", "Patentgesetz", ["patent"]),
    ("us-35usc", "US", "35 U.S.C. (Patents)", ["patent"]),
    ("us-lanham", "US", "Lanham Act", ["trademark"]),
    ("eu-eutmr", "EU", "EU Trade Mark Regulation", ["trademark"]),
]


@pytest.fixture
def store(settings):
    with open_store(settings) as opened:
        with opened.write() as conn:
            for source_id, place, title, rights in SOURCES:
                conn.execute(
                    "INSERT INTO sources(id, jurisdiction, kind, url, title, rights, updated_at)"
                    " VALUES (?, ?, 'law_page', ?, ?, ?, '2026-01-01T00:00:00+00:00')",
                    (source_id, place, f"https://example.invalid/{source_id}", title, json.dumps(rights)),
                )
        yield opened


def add_change(store, source_id, articles, *, when, summary="", kind="modified") -> int:
    with store.write() as conn:
        return record_change(
            conn, source_id=source_id, url=f"https://example.invalid/{source_id}", kind=kind,
            old_snapshot=None, new_snapshot=None, summary=summary, detected_at=when,
            articles=[{"id": a, "change": "modified"} for a in articles],
        )


@pytest.fixture
def guides_root(tmp_path) -> Path:
    root = tmp_path / "guides"
    shutil.copytree(FIXTURE_GUIDES, root)
    return root
