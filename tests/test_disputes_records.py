"""Dispute records: de-identified upsert, the enterprise key, CSV/XLSX import with row errors."""
import os
import stat

import pytest
from openpyxl import Workbook

from kb.disputes.records import add_dispute, count_disputes, enterprise_hash, enterprise_key, key_path
from kb.disputes.importer import import_file
from kb.core.errors import ValidationError

USCC = "91440205MA4UABCD1X"
RECORD = {
    "origin": "case", "source_ref": "2026-017", "enterprise": USCC,
    "dispute_types": "侵权纠纷", "right_types": ["发明专利", "trademark"], "countries": "美国；DE",
    "counterparty_type": "非专利实施实体（NPE）", "field": "通信", "level": "重大/疑难纠纷",
    "received_on": "2026/8/3",
}

HEADER = "编号,企业,纠纷类型,权利类别,国家/地区,纠纷对象类型,纠纷领域,纠纷级别,立案日期,来源链接\n"


def test_add_dispute_stores_codes_and_a_keyed_hash_never_the_enterprise(store, data_dir):
    with store.write() as conn:
        first = add_dispute(conn, RECORD)
    row = dict(store.conn.execute("SELECT * FROM disputes WHERE id = ?", (first,)).fetchone())
    assert row["dispute_types"] == "infringement"
    assert row["right_types"] == "invention_patent,trademark"
    assert row["countries"] == "US,DE"
    assert (row["counterparty_type"], row["field"], row["level"]) == ("npe", "communication", "major")
    assert row["received_on"] == row["event_on"] == "2026-08-03"
    key = enterprise_key(data_dir)
    assert row["enterprise_hash"] == enterprise_hash(key, USCC.lower())
    dump = store.path.read_bytes() + store.path.with_name(store.path.name + "-wal").read_bytes()
    assert USCC.encode() not in dump
    mode = stat.S_IMODE(os.stat(key_path(data_dir)).st_mode)
    assert mode == 0o600


def test_the_same_record_again_is_an_update_not_a_duplicate(store):
    with store.write() as conn:
        first = add_dispute(conn, RECORD)
        second = add_dispute(conn, {**RECORD, "closed_on": "2026-10-01", "outcome": "和解"})
    assert first == second
    assert count_disputes(store.conn) == {"case": 1}
    row = store.conn.execute("SELECT outcome, closed_on FROM disputes").fetchone()
    assert tuple(row) == ("settled", "2026-10-01")


def test_a_different_enterprise_in_the_same_case_is_another_record(store):
    with store.write() as conn:
        add_dispute(conn, RECORD)
        add_dispute(conn, {**RECORD, "enterprise": "另一家企业有限公司"})
    assert count_disputes(store.conn) == {"case": 1 + 1}


def test_bad_record_names_every_bad_field(store):
    bad = {**RECORD, "field": "航天", "level": "", "received_on": "2026-13-01", "origin": "x"}
    with pytest.raises(ValidationError) as caught, store.write() as conn:
        add_dispute(conn, bad)
    fields = {e.field for e in caught.value.errors}
    assert {"纠纷领域", "纠纷级别", "收到日期", "来源类别"} <= fields
    assert "航天" in str(caught.value)


def test_unknown_country_becomes_other_with_its_name(store):
    with store.write() as conn:
        add_dispute(conn, {**RECORD, "countries": "越南"})
    row = store.conn.execute("SELECT countries, country_other FROM disputes").fetchone()
    assert tuple(row) == ("other", "越南")


def test_csv_import_reports_row_numbers_and_imports_nothing(store, tmp_path):
    path = tmp_path / "public.csv"
    path.write_text(
        HEADER
        + "337-TA-1,企业甲,侵权纠纷,发明专利,美国,NPE,通信,普通,2026-07-02,https://www.usitc.gov/\n"
        + "337-TA-2,企业乙,侵权纠纷,专利权,美国,竞争对手,通信,普通,2026-07-02,\n"
        + "337-TA-3,企业丙,侵权纠纷,商标,美国,竞争对手,纺织,普通,,\n",
        encoding="utf-8-sig")
    with pytest.raises(ValidationError) as caught:
        import_file(store, path)
    text = str(caught.value)
    assert "第3行" in text and "权利类别" in text and "专利权" in text
    assert "第4行" in text and "纠纷领域" in text and "至少填一项" in text
    assert count_disputes(store.conn) == {}


def test_csv_import_recognises_duplicates(store, tmp_path):
    path = tmp_path / "public.csv"
    line = "337-TA-1,企业甲,侵权纠纷;贸易调查纠纷,发明专利,美国,NPE,通信,普通,2026-07-02,https://www.usitc.gov/\n"
    path.write_text(HEADER + line, encoding="utf-8")
    first = import_file(store, path)
    again = import_file(store, path)
    assert (first.added, first.updated, again.added, again.updated) == (1, 0, 0, 1)
    assert count_disputes(store.conn) == {"public": 1}
    path.write_text(HEADER + line + line, encoding="utf-8")
    with pytest.raises(ValidationError, match="与第2行重复"):
        import_file(store, path)


def test_xlsx_import_with_dates_and_english_headers(store, tmp_path):
    from datetime import date
    book = Workbook()
    sheet = book.active
    sheet.append(["source_ref", "enterprise", "dispute_types", "right_types", "countries",
                  "counterparty_type", "field", "level", "filed_on"])
    sheet.append(["C-1", "企业丁", "trade_fair", "design", "DE", "competitor", "机械", "ordinary", date(2026, 9, 4)])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = import_file(store, path)
    assert result.added == 1
    row = store.conn.execute("SELECT origin, filed_on, provenance FROM disputes").fetchone()
    assert row["origin"] == "public" and row["filed_on"] == "2026-09-04"
    assert "list.xlsx" in row["provenance"]


def test_unknown_column_is_an_error(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.strip() + ",联系人\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="联系人"):
        import_file(store, path)


def test_columns_that_would_drop_data_are_header_errors(store, tmp_path):
    path = tmp_path / "bad.csv"
    line = "337-TA-1,企业甲,侵权纠纷,发明专利,美国,NPE,通信,普通,2026-07-02,https://www.usitc.gov/"
    width = len(line.split(","))
    path.write_text(HEADER.strip() + ",国家/地区\n" + line + ",德国,多出的数据\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_file(store, path)
    text = str(caught.value)
    assert f"第{width + 1}列与第" in text and f"字段「第{width + 2}列」：有数据但没有列名" in text
    assert count_disputes(store.conn) == {}


@pytest.mark.parametrize("damage", [b"", b"zz" * 32, b"ab" * 16, b"\xff\xfe"])
def test_a_damaged_key_is_a_user_error_and_is_kept(store, tmp_path, damage):
    from kb.core.errors import IpwatchError

    path = key_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    with pytest.raises(IpwatchError, match="已损坏"):
        enterprise_key(tmp_path)
    assert path.read_bytes() == damage  # never replaced: the stored hashes depend on it


def test_damaged_sheet_xml_is_a_user_error(store, tmp_path):
    import zipfile

    from kb.core.errors import IpwatchError

    book = Workbook()
    book.active.append(["enterprise", "dispute_types", "right_types", "countries",
                        "counterparty_type", "field", "level", "filed_on"])
    book.active.append(["企业丁", "trade_fair", "design", "DE", "competitor", "机械", "ordinary", "2026-09-04"])
    book.save(tmp_path / "good.xlsx")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(IpwatchError, match="文件 bad.xlsx 不是有效的 XLSX 文件"):
        import_file(store, tmp_path / "bad.xlsx")
    assert count_disputes(store.conn) == {}


def test_a_csv_field_over_the_size_limit_is_a_user_error(store, tmp_path):
    from kb.core.errors import IpwatchError

    path = tmp_path / "big.csv"
    path.write_text(HEADER + '337-TA-1,"' + "x" * 200_000 + '",侵权纠纷,发明专利,美国,NPE,通信,普通,2026-07-02,\n',
                    encoding="utf-8")
    with pytest.raises(IpwatchError, match="big.csv 第2行无法按 CSV 读取"):
        import_file(store, path)
    assert count_disputes(store.conn) == {}
