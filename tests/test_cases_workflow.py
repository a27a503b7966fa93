"""The case workflow and its working-day clock across a public holiday (国庆 2026)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from intake_helpers import case_settings, case_store, sample_application, write_export  # noqa: F401
from kb.cases import clock as caseclock, importer as caseimport, workflow as cases, stats as casestats, workdays
from kb.core.errors import IpwatchError



def _draft(store, number, tmp_path, on):
    """A reviewed 意见书 file for the case, recorded as its draft (出具意见书 needs one)."""
    path = tmp_path / f"意见书-{number}.docx"
    path.write_bytes(b"reviewed opinion")
    cases.record_draft(store, number, path, actor="李四", on=on)

def _import(store, settings, tmp_path, on="2026-09-30", **changes):
    path = write_export(sample_application(**changes), tmp_path / f"{len(changes)}-{on}.json")
    [result] = caseimport.import_file(store, settings, path, actor="李四", on=on)
    return result["number"]


def test_working_days_across_national_day():
    # 2026-10-01..07 holiday; Saturday 2026-10-10 is an adjusted working day.
    assert workdays.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert workdays.add_workdays(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays.workdays_between(date(2026, 10, 9), date(2026, 10, 9)) == 0


def test_clock_outside_the_calendar_fails_clearly():
    first, last = workdays.covered_years()
    with pytest.raises(IpwatchError, match=f"只含 {first}—{last} 年"):
        workdays.add_workdays(date(last, 12, 30), 5)


def test_a_later_year_from_the_settings(settings):
    """Staff can add a year the package lacks; its holidays and adjusted days count."""
    first, last = workdays.covered_years()
    year = last + 1
    extra = workdays.extra_from(settings.with_values(calendar={
        "years": [year], "holidays": [f"{year}-01-01"], "workdays": [f"{year}-01-02"]}))
    assert not workdays.is_workday(date(year, 1, 1), extra)
    assert workdays.is_workday(date(year, 1, 2), extra)  # listed, though it may be a weekend
    monday = date(year, 1, 4) + timedelta(days=(7 - date(year, 1, 4).weekday()) % 7)
    assert workdays.is_workday(monday, extra) and not workdays.is_workday(monday + timedelta(days=5), extra)
    # a deadline that crosses the new year now has an answer
    assert workdays.add_workdays(date(last, 12, 30), 5, extra) > date(last, 12, 31)
    with pytest.raises(IpwatchError, match="calendar.holidays"):
        workdays.extra_from(settings.with_values(calendar={"years": [year], "holidays": ["x"]}))


def test_whole_workflow(case_settings, case_store, tmp_path):
    number = _import(case_store, case_settings, tmp_path)
    case = cases.get_case(case_store, number)
    assert caseclock.due_date(case, case_settings) == date(2026, 10, 10)
    # Sunday after the Saturday working day: no working day has gone by yet
    assert caseclock.overdue(case_store, case_settings, date(2026, 10, 11)) == []
    [late] = caseclock.overdue(case_store, case_settings, date(2026, 10, 12))
    assert (late["number"], late["due"], late["late_workdays"]) == (number, "2026-10-10", 1)

    cases.advance(case_store, case_settings, number, "accept", actor="李四", on="2026-10-10")
    cases.advance(case_store, case_settings, number, "contact", actor="王五", on="2026-10-12")
    with pytest.raises(IpwatchError, match="须用 --dept"):
        cases.advance(case_store, case_settings, number, "confer", actor="王五", on="2026-10-14")
    cases.advance(case_store, case_settings, number, "confer", actor="王五", on="2026-10-14",
                  departments=["amr", "copyright", "industry"], note="三局会商")
    cases.escalate(case_store, case_settings, number, "province", actor="李四", on="2026-10-15",
                   note="涉及产业安全")
    _draft(case_store, number, tmp_path, on="2026-10-16")
    cases.advance(case_store, case_settings, number, "opinion", actor="李四", on="2026-10-16")
    case = cases.advance(case_store, case_settings, number, "close", actor="李四", on="2026-10-20")

    assert case["status"] == "closed" and case["escalated"] == 1
    steps = [(e["step"], e["on_date"], e["actor"]) for e in case["events"]]
    assert steps == [
        ("received", "2026-09-30", "李四"), ("accept", "2026-10-10", "李四"),
        ("contact", "2026-10-12", "王五"), ("confer", "2026-10-14", "王五"),
        ("escalate", "2026-10-15", "李四"), ("draft_opinion", "2026-10-16", "李四"),
        ("opinion", "2026-10-16", "李四"),
        ("close", "2026-10-20", "李四"),
    ]
    assert case["events"][3]["departments"] == ["amr", "copyright", "industry"]
    assert case["events"][4]["detail"]["recipient"] == "广东省市场监督管理局（知识产权局）"
    times = caseclock.step_times(case, case_settings)
    assert [(t["step"], t["workdays"], t["late"]) for t in times] == [
        ("accept", 3, False), ("contact", 1, False), ("confer", 2, False),
        ("opinion", 2, False), ("close", 2, False),
    ]
    contact = cases.get_case(case_store, number, with_contacts=True)["contact"]
    assert contact["purge_after"] == "2027-10-20"  # 365 days after 结案


def test_steps_out_of_order_and_notes(case_settings, case_store, tmp_path):
    number = _import(case_store, case_settings, tmp_path)
    with pytest.raises(IpwatchError, match="当前为「已收到申请」，不能办理「会商」"):
        cases.advance(case_store, case_settings, number, "confer", actor="李四", departments=["amr"])
    with pytest.raises(IpwatchError, match="须用 --note 写明不予受理的理由"):
        cases.advance(case_store, case_settings, number, "reject", actor="李四")
    with pytest.raises(IpwatchError, match="只有已受理、未结案的案件可以通报"):
        cases.escalate(case_store, case_settings, number, "city", actor="李四")
    with pytest.raises(IpwatchError, match="早于上一步骤的日期"):
        cases.advance(case_store, case_settings, number, "accept", actor="李四", on="2026-09-29")
    cases.advance(case_store, case_settings, number, "request_materials", actor="李四",
                  note="缺少涉案专利文本", on="2026-10-08")
    case = cases.get_case(case_store, number)
    assert caseclock.due_date(case, case_settings) is None  # waiting for the applicant
    cases.advance(case_store, case_settings, number, "materials_received", actor="李四", on="2026-10-20")
    case = cases.get_case(case_store, number)
    assert caseclock.due_date(case, case_settings) == date(2026, 10, 23)
    case = cases.advance(case_store, case_settings, number, "reject", actor="李四",
                         note="不属于涉外纠纷", on="2026-10-21")
    assert case["status"] == "rejected"
    with pytest.raises(IpwatchError, match="找不到案件「2026-9999」"):
        cases.get_case(case_store, "2026-9999")


def test_purge_contacts(case_settings, case_store, tmp_path):
    number = _import(case_store, case_settings, tmp_path)
    open_one = _import(case_store, case_settings, tmp_path, applicant_name="另一家公司")
    cases.advance(case_store, case_settings, number, "reject", actor="李四", note="重复申请",
                  on="2026-10-09")
    assert cases.purge_contacts(case_store, date(2027, 10, 8)) == []
    assert cases.purge_contacts(case_store, date(2027, 10, 9)) == [number]
    case = cases.get_case(case_store, number, with_contacts=True)
    assert case["contact"] is None and case["contacts_purged_at"]
    assert case["events"][-1]["step"] == "purge"
    assert cases.get_case(case_store, open_one, with_contacts=True)["contact"] is not None
    left = case_store.conn.execute("SELECT contact_name, phone FROM case_contacts").fetchall()
    assert [tuple(r) for r in left] == [("示例联系人", "+867516696612")]  # the open case keeps its contact


def test_stats_per_department(case_settings, case_store, tmp_path):
    a = _import(case_store, case_settings, tmp_path)
    b = _import(case_store, case_settings, tmp_path, applicant_name="乙公司", on="2026-10-09")
    _import(case_store, case_settings, tmp_path, applicant_name="丙公司", on="2026-10-09")
    _import(case_store, case_settings, tmp_path, applicant_name="丁公司", on="2026-07-01")
    for number in (a, b):
        cases.advance(case_store, case_settings, number, "accept", actor="李四", on="2026-10-12")
        cases.advance(case_store, case_settings, number, "contact", actor="李四", on="2026-10-13")
    cases.advance(case_store, case_settings, a, "confer", actor="李四", on="2026-10-14",
                  departments=["amr", "industry"])
    _draft(case_store, a, tmp_path, on="2026-10-15")
    cases.advance(case_store, case_settings, a, "opinion", actor="李四", on="2026-10-15")
    cases.escalate(case_store, case_settings, a, "national", actor="李四", on="2026-10-15")
    stats = casestats.case_stats(case_store, case_settings, "2026Q4", today=date(2026, 10, 16))
    total = stats["rows"][-1]
    # a was received on 09-30 (Q3); b and c in Q4, b accepted
    assert (total["department"], total["received"], total["accepted"]) == ("合计", 2, 1)
    stats3 = casestats.case_stats(case_store, case_settings, "2026Q3", today=date(2026, 10, 16))
    q3 = stats3["rows"][-1]
    assert (q3["received"], q3["accepted"], q3["escalated"]) == (2, 1, 1)
    assert q3["median_to_contact"] == 5  # 09-30 → 10-13: 10-08, 09, 10, 12, 13
    assert q3["median_to_opinion"] == 7
    assert q3["overdue"] == 2  # a accepted late (4 > 3), the 07-01 case never accepted
    amr = stats3["rows"][0]
    assert amr["received"] == 2 and amr["conferred_in"] == 1
    assert stats3["rows"][1]["conferred_in"] == 0 and stats3["rows"][2]["conferred_in"] == 1
    path = casestats.write_stats_xlsx(stats3, tmp_path / "stats.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet["A2"].value == "部门" and sheet.cell(row=6, column=1).value == "合计"
    assert sheet.cell(row=6, column=2).value == 2


def test_period_parsing():
    assert casestats.period_range("2026Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert casestats.period_range("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert casestats.period_range("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(IpwatchError, match="格式错误"):
        casestats.period_range("Q3")


def test_every_case_is_counted_de_identified(case_settings, case_store, tmp_path):
    number = _import(case_store, case_settings, tmp_path)
    _import(case_store, case_settings, tmp_path, on="2026-10-09")  # the same application again
    rows = [dict(r) for r in case_store.conn.execute("SELECT * FROM disputes")]
    assert len(rows) == 1
    row = rows[0]
    assert (row["origin"], row["source_ref"], row["countries"], row["field"], row["level"]) == (
        "case", number, "US,DE", "mechanical", "major")
    assert row["received_on"] == "2026-09-30" and row["closed_on"] is None
    text = " ".join(str(v) for v in row.values())
    for secret in ("91350100M000100Y43", "韶关市示例机械制造有限公司", "示例联系人", "6696612"):
        assert secret not in text
    for step, on in (("accept", "2026-10-08"), ("contact", "2026-10-09"), ("opinion", None)):
        if step == "opinion":
            cases.advance(case_store, case_settings, number, "confer", actor="李四",
                          departments=["amr"], on="2026-10-09")
            on = "2026-10-12"
            _draft(case_store, number, tmp_path, on=on)
        cases.advance(case_store, case_settings, number, step, actor="李四", on=on)
    cases.advance(case_store, case_settings, number, "close", actor="李四", on="2026-10-13")
    [row] = [dict(r) for r in case_store.conn.execute("SELECT * FROM disputes")]
    assert row["closed_on"] == "2026-10-13"


def test_cases_reach_the_quarterly_report(case_settings, case_store, tmp_path):
    from alerts.report import build_report
    from intake_helpers import write_xlsx

    names = {"甲示例公司": "91350100M000100Y43", "乙示例公司": "914403001922038216",
             "丙示例公司": "91440300708461136T"}
    rows = [sample_application(applicant_name=n, uscc=u) for n, u in names.items()]
    caseimport.import_file(case_store, case_settings, write_xlsx(rows, tmp_path / "x.xlsx"),
                           actor="李四", on="2026-08-03")
    report = build_report(case_settings, case_store, "2026Q3")
    total = case_store.conn.execute(
        "SELECT value FROM published_cells WHERE period = '2026Q3' AND industry = 'all'"
        " AND dim = 'total'").fetchone()[0]
    assert total == 3 and "共有 3 家企业" in report.summary
    for path in report.folder.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".json"):
            text = path.read_text("utf-8")
            assert not any(n in text or u in text for n, u in names.items())


@pytest.mark.parametrize("bad", ["0000Q1", "0000", "0000-05"])
def test_period_of_year_zero_is_a_user_error(bad):
    with pytest.raises(IpwatchError, match="年份"):
        casestats.period_range(bad)


def test_purged_contact_data_leave_no_bytes_in_the_store_files(case_settings, case_store, tmp_path):
    canary = {"contact_name": "雀哨兵", "contact_email": "purge.canary@example.org",
              "address": "韶关市曲江区哨兵路 77 号"}
    number = _import(case_store, case_settings, tmp_path, **canary)
    cases.advance(case_store, case_settings, number, "reject", actor="李四", note="重复申请",
                  on="2026-10-09")
    assert cases.purge_contacts(case_store, date(2027, 10, 9)) == [number]
    folder = case_store.path.parent
    raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith(case_store.path.name))
    for value in canary.values():
        assert value.encode("utf-8") not in raw, value
