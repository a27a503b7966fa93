"""Versions of a year's protected lattice in the store (tables ``disclosure_versions`` and
``disclosure_cells``; migration 0060). Nothing here is ever updated or deleted: a change of
the counts or of the threshold makes a new version, decided against every earlier one.

Records published before versioning (``published_cells`` rows without a version) are read as
one version per report build, their true counts known only for the cells they showed.
"""
from __future__ import annotations

import sqlite3

from alerts import disclosure
from alerts.counts import Key
from alerts.lpattack import Version
from kb.core.errors import IpwatchError
from kb.core.store import Store, utcnow

PUBLISHED, SUPPRESSED, UNPUBLISHED = 0, 1, 2


def _legacy(conn: sqlite3.Connection, year: int, sample: bool, threshold: int) -> list[Version]:
    rows = conn.execute(
        "SELECT report_key, build, period, industry, dim, category, value, true_value FROM published_cells"
        " WHERE version_id IS NULL AND is_sample = ? AND substr(period, 1, 4) = ?"
        " ORDER BY build, report_key", (int(sample), str(year))).fetchall()
    groups: dict[tuple, Version] = {}
    for row in rows:
        group = (row["report_key"], row["build"])
        version = groups.setdefault(group, Version(-2 - len(groups), threshold, {}, {}))
        key = (row["period"], row["industry"], row["dim"], row["category"])
        version.values[key], version.truth[key] = row["value"], row["true_value"]
    return list(groups.values())


def load_versions(conn: sqlite3.Connection, year: int, sample: bool, threshold: int) -> list[Version]:
    """Every version of the year, oldest first (records from before versioning first of all)."""
    out = _legacy(conn, year, sample, threshold)
    heads = conn.execute("SELECT id, threshold FROM disclosure_versions WHERE year = ? AND is_sample = ?"
                         " ORDER BY id", (year, int(sample))).fetchall()
    for head in heads:
        version = Version(head["id"], head["threshold"], {}, {})
        for row in conn.execute("SELECT period, industry, dim, category, state, value, true_value"
                                " FROM disclosure_cells WHERE version_id = ?", (head["id"],)):
            key = (row["period"], row["industry"], row["dim"], row["category"])
            version.truth[key] = row["true_value"]
            if row["state"] != UNPUBLISHED:
                version.values[key] = row["value"]
        out.append(version)
    return out


def years_with_versions(conn: sqlite3.Connection, sample: bool) -> list[int]:
    rows = conn.execute("SELECT DISTINCT year FROM disclosure_versions WHERE is_sample = ? UNION"
                        " SELECT DISTINCT CAST(substr(period, 1, 4) AS INTEGER) FROM published_cells"
                        " WHERE is_sample = ?", (int(sample), int(sample)))
    return sorted(r[0] for r in rows)


def _save(store: Store, year: int, sample: bool, version: Version) -> Version:
    with store.write() as conn:
        cursor = conn.execute("INSERT INTO disclosure_versions(year, is_sample, threshold, created_at)"
                              " VALUES (?, ?, ?, ?)", (year, int(sample), version.threshold, utcnow()))
        number = int(cursor.lastrowid)
        conn.executemany(
            "INSERT INTO disclosure_cells(version_id, period, industry, dim, category, state, value,"
            " true_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, *key, _state(version.values, key), version.values.get(key), true)
             for key, true in version.truth.items()])
    return Version(number, version.threshold, version.values, version.truth)


def _state(values: dict[Key, int | None], key: Key) -> int:
    if key not in values:
        return UNPUBLISHED
    return SUPPRESSED if values[key] is None else PUBLISHED


def current(store: Store, year: int, sample: bool, counts: dict[Key, int], threshold: int) -> Version:
    """The version reports of ``year`` publish from now: the latest, if the counts and the
    threshold are unchanged; otherwise a new one, protected against all earlier versions and
    stored before anything is published from it."""
    truth = disclosure.lattice_truth(year, counts)
    earlier = load_versions(store.conn, year, sample, threshold)
    latest = next((v for v in reversed(earlier) if v.id > 0), None)
    if latest is not None and latest.threshold == threshold and latest.truth == truth:
        return latest
    values, problems = disclosure.protect(year, truth, earlier, threshold)
    if problems:
        raise IpwatchError(f"披露控制：{year} 年的数据无法安全公布（已公布的版本已限定以下单元格），报告未生成："
                           + "；".join(map(str, problems[:5])))
    return _save(store, year, sample, Version(disclosure.NEW, threshold, values, truth))


def audit_year(conn: sqlite3.Connection, year: int, sample: bool, threshold: int) -> list[disclosure.Violation]:
    return disclosure.audit(year, load_versions(conn, year, sample, threshold))
