"""``ipwatch case ...``: import applications, move cases through the workflow, draft the
意见书 and 通报, supervise (考核) and purge personal data. Each command is a few lines over
kb.cases.importer / kb.cases.workflow / kb.cases.clock / kb.cases.documents / kb.cases.stats."""
from __future__ import annotations

import getpass
from pathlib import Path
from typing import Optional

import typer

from ipwatch.cli import common
from kb.cases import clock as caseclock
from kb.cases import documents as casedocs
from kb.cases import form, formdocx, workdays
from kb.cases import importer as caseimport
from kb.cases import stats as casestats
from kb.cases import workflow as cases
from kb.cases import inbox
from kb.core import choices, docxutil

BY_HELP = "办理人姓名（默认为当前系统用户）"
ON_HELP = "办理日期 YYYY-MM-DD（补录时用；默认今天）"


def _by(value: Optional[str]) -> str:
    return value or getpass.getuser()


# The applicant's identity is shown only in the staff view of one case (``case show``), never
# in a listing of many that ends up in a terminal scroll-back, a pasted log or a script's file.
IDENTITY_KEYS = ("applicant_name", "uscc")


CASE_COLUMNS = ("编号", "收到日期", "状态", "级别", "纠纷国家/地区")
FIELD_LABELS = {field.key: field.label for field in form.FIELDS}
CONTACT_LABELS = {"contact_name": "联系人", "email": "联系人邮箱", "phone": "联系电话",
                  "address": "详细联系地址", "purge_after": "个人信息删除日期"}


def _case_row(case: dict) -> list[str]:
    countries = "、".join(choices.label(choices.COUNTRIES, c) for c in case["countries"])
    return [case["number"], case["received_on"], cases.STATUS_LABELS[case["status"]],
            choices.label(choices.LEVELS, case["level"]), countries]


def _public_case(case: dict, *, with_applicant: bool = False) -> dict:
    hidden = ("id", "fingerprint") + (() if with_applicant else IDENTITY_KEYS)
    return {k: v for k, v in case.items() if k not in hidden}


def register(app: typer.Typer) -> None:
    case_app = typer.Typer(help="海外知识产权纠纷应对指导申请的受理和办理。\n\n示例：ipwatch case list",
                           no_args_is_help=True)
    app.add_typer(case_app, name="case")
    _register_intake(case_app)
    _register_inbox(case_app)
    _register_workflow(case_app)
    _register_documents(case_app)
    _register_supervision(case_app)


def _register_intake(case_app: typer.Typer) -> None:
    @case_app.command("import")
    def import_(
        file: Path = typer.Argument(..., help="申请书导出文件（.json）、Word 申请书（.docx）或汇总表（.xlsx）"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        dept: Optional[str] = typer.Option(None, "--dept", help="承办部门：id 或简称（默认见设置 cases.default_department）"),
        on: Optional[str] = typer.Option(None, "--on", help="收到日期 YYYY-MM-DD（默认今天）"),
        fmt: str = common.format_option(),
    ) -> None:
        """导入申请书：逐字段校验，任何一处错误则不导入任何数据；同一申请重复导入只建一个案件。

        示例：ipwatch case import 海外知识产权纠纷应对指导申请书.json --by 李四
        """
        settings = common.settings()
        with common.store() as store:
            results = caseimport.import_file(
                store, settings, file, actor=_by(by), on=on,
                department=dept or settings["cases"]["default_department"],
            )
        if fmt == "json":
            common.emit_json(results)
            return
        for r in results:
            where = f"第{r['row']}行 " if r["row"] else ""
            state = "新建案件" if r["created"] else "已存在，未重复建案"
            common.console.print(f"{where}{r['number']}：{state}", markup=False)
        created = sum(r["created"] for r in results)
        common.console.print(f"共读取 {len(results)} 份申请：新建 {created} 件，已存在 {len(results) - created} 件",
                             markup=False)

    @case_app.command("form")
    def blank_form(out: Path = typer.Argument(Path("海外知识产权纠纷应对指导申请书.docx"), help="输出文件")) -> None:
        """生成空白 Word 申请书（与网站提供下载的相同）。

        示例：ipwatch case form 申请书.docx
        """
        docxutil.save_atomic(formdocx.blank_form(), out)
        common.console.print(f"已生成：{out}", markup=False)

    @case_app.command("list")
    def list_(
        status: Optional[str] = typer.Option(None, "--status", help="只列出此状态（代码或中文）：" + "、".join(f"{c}（{l}）" for c, l in cases.STATUS_LABELS.items())),
        fmt: str = common.format_option(),
    ) -> None:
        """列出案件（不显示申请人名称和统一社会信用代码，请用 ipwatch case show 查看单个案件）。

        示例：ipwatch case list --status 已受理
        """
        with common.store() as store:
            found = cases.list_cases(store, status)
        if fmt == "json":
            common.emit_json([_public_case(c) for c in found])
            return
        if not found:
            common.console.print("没有案件。", markup=False)
            return
        common.print_table(CASE_COLUMNS, [_case_row(case) for case in found])

    @case_app.command("show")
    def show(
        number: str = typer.Argument(..., help="案件编号，如 2026-0001"),
        contacts: bool = typer.Option(False, "--contacts", help="同时显示联系人信息（个人信息，注意保密）"),
        fmt: str = common.format_option(),
    ) -> None:
        """显示一个案件及其办理过程和时限。

        示例：ipwatch case show 2026-0001 --format json
        """
        settings = common.settings()
        with common.store() as store:
            case = cases.get_case(store, number, with_contacts=contacts)
        due = caseclock.due_date(case, settings)
        times = {t["on_date"] + t["step"]: t for t in caseclock.step_times(case, settings)}
        if fmt == "json":
            common.emit_json({**_public_case(case, with_applicant=True), "due": due and due.isoformat(),
                              "step_times": list(times.values())})
            return
        common.print_table((*CASE_COLUMNS, "申请人"), [[*_case_row(case), case["applicant_name"]]])
        for label, value in casedocs.case_facts(case):
            common.console.print(f"  {label}：{value}", markup=False, highlight=False)
        for key in ("request", "impact", "other_requests"):
            if case[key]:
                common.console.print(f"  {FIELD_LABELS[key]}：{case[key]}", markup=False, highlight=False)
        for event in case["events"]:
            note = f"（{event['note']}）" if event["note"] else ""
            took = times.get(event["on_date"] + event["step"])
            clock = ""
            if took and took["allowed"] is not None:
                late = "，超期" if took["late"] else ""
                clock = f"  [用时{took['workdays']}个工作日，时限{took['allowed']}{late}]"
            common.console.print(f"  {event['on_date']}  {cases.EVENT_LABELS[event['step']]}  "
                                 f"{event['actor']}{note}{clock}", markup=False, highlight=False)
        if due:
            common.console.print(f"  下一步办理时限：{due.isoformat()}", markup=False)
        if contacts and case.get("contact"):
            for key, value in case["contact"].items():
                common.console.print(f"  {CONTACT_LABELS.get(key, key)}：{value}", markup=False, highlight=False)


def _register_inbox(case_app: typer.Typer) -> None:
    @case_app.command("inbox")
    def inbox_(
        receipts: list[str] = typer.Option([], "--import", help="导入此回执编号的在线申请（可多次给出）"),
        all_: bool = typer.Option(False, "--all", help="导入全部尚未导入的在线申请"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        dept: Optional[str] = typer.Option(None, "--dept", help="承办部门 id（默认见设置 cases.default_department）"),
        discard: list[str] = typer.Option([], "--discard", help="删除此回执编号的未导入申请（如垃圾提交）"),
        fmt: str = common.format_option(),
    ) -> None:
        """在线接收的申请（ipwatch intake serve）：列出，或导入为案件（再次逐字段校验）。

        列表不显示申请人和联系人；附件在列出的文件夹的 files/ 中。

        示例：ipwatch case inbox --import W20261202-7KQ3MZ --by 李四
        """
        settings = common.settings()
        for receipt in discard:
            inbox.discard(settings, receipt)
            common.console.print(f"已删除 {receipt}", markup=False)
        if discard:
            return
        if all_:
            receipts = [r["receipt"] for r in inbox.list_inbox(settings) if not r["case"]]
            if not receipts:
                common.console.print("没有待导入的在线申请。", markup=False)
                return
        if receipts:
            with common.store() as store:
                results = [inbox.import_submission(
                    store, settings, r, actor=_by(by),
                    department=dept or settings["cases"]["default_department"]) for r in receipts]
            if fmt == "json":
                common.emit_json(results)
                return
            for r in results:
                state = "新建案件" if r["created"] else "已导入过，未重复建案"
                common.console.print(f"{r['receipt']} → {r['number']}：{state}", markup=False)
            return
        rows = inbox.list_inbox(settings)
        if fmt == "json":
            common.emit_json(rows)
            return
        for r in rows:
            case = f"已导入 {r['case']}" if r["case"] else "待导入"
            common.console.print(f"{r['receipt']}  {r['received_at'][:16]}  附件 {r['attachments']} 个"
                                 f"  {case}  {r['folder']}", markup=False, highlight=False)
        if not rows:
            common.console.print("收件箱中没有在线申请。", markup=False)


def _register_workflow(case_app: typer.Typer) -> None:
    @case_app.command("advance")
    def advance(
        number: str = typer.Argument(..., help="案件编号"),
        step: str = typer.Argument(..., help="步骤（代码或中文）：" + "、".join(f"{s.code}（{s.label}）" for s in cases.STEPS)),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        note: str = typer.Option("", "--note", help="说明：不予受理的理由、需补充的材料、会商意见等"),
        dept: list[str] = typer.Option([], "--dept", help="参加会商的部门：id 或简称，如 amr、版权局（可多次使用）"),
        on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    ) -> None:
        """办理案件的下一步：受理 / 不予受理 / 补充材料 / 对接 / 会商 / 出具意见书 / 结案。

        示例：ipwatch case advance 2026-0001 confer --dept amr --dept copyright --by 李四
        """
        with common.store() as store:
            case = cases.advance(store, common.settings(), number, step, actor=_by(by), note=note,
                                 departments=dept, on=on)
        common.console.print(f"{number}：{cases.STATUS_LABELS[case['status']]}", markup=False)

    @case_app.command("withdraw")
    def withdraw(
        number: str = typer.Argument(..., help="案件编号"),
        reason: str = typer.Option(..., "--reason", help="撤销理由（如：重复建案、误导入示例数据）"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    ) -> None:
        """撤销误建的案件：不再计入纠纷数据库、超期提醒和考核统计；办理记录保留。

        示例：ipwatch case withdraw 2026-0003 --reason 与 2026-0002 重复 --by 李四
        """
        with common.store() as store:
            case = cases.withdraw(store, common.settings(), number, reason=reason, actor=_by(by), on=on)
        common.console.print(f"{number}：{cases.STATUS_LABELS[case['status']]}", markup=False)

    @case_app.command("amend")
    def amend(
        number: str = typer.Argument(..., help="案件编号"),
        file: Path = typer.Argument(..., help="更正后的申请书（.json、.docx，或只含一份申请的 .xlsx）"),
        reason: str = typer.Option(..., "--reason", help="更正理由"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
    ) -> None:
        """用更正后的申请书更正案件（逐字段校验；更正前的内容留在办理记录中），不新建案件。

        示例：ipwatch case amend 2026-0001 更正后的申请书.json --reason 企业更正纠纷国家 --by 李四
        """
        clean = caseimport.read_one(file)
        with common.store() as store:
            case = cases.amend(store, common.settings(), number, clean, reason=reason, actor=_by(by), on=on)
        fields = case["events"][-1]["detail"]["fields"]
        common.console.print(f"{number}：已更正 {'、'.join(fields)}", markup=False)

    @case_app.command("escalate")
    def escalate(
        number: str = typer.Argument(..., help="案件编号"),
        to: str = typer.Option(..., "--to", help="通报对象：city（市）、province（省）、national（国家中心），代码或中文均可"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
        note: str = typer.Option("", "--note", help="通报理由"),
        on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
        out: Optional[Path] = typer.Option(None, "--out", help="通报稿 .docx 的保存位置"),
    ) -> None:
        """将重大/疑难纠纷通报市、省有关部门或国家海外知识产权纠纷应对指导中心，并起草通报（Word）。

        示例：ipwatch case escalate 2026-0001 --to province --note 涉及产业安全 --by 李四
        """
        settings = common.settings()
        to = cases.resolve_name("通报对象", to, cases.ESCALATION_LABELS)
        target = docxutil.check_target(out or casedocs.document_path(settings, number, "通报"))
        with common.store() as store:  # the output is checked first: no 通报 recorded without its draft
            cases.escalate(store, settings, number, to, actor=_by(by), note=note, on=on)
            doc = casedocs.draft_escalation(settings, store, number, to,
                                            today=workdays.parse_day(on))
        path = docxutil.save_atomic(doc, target)
        common.console.print(f"{number}：已记录通报；通报稿：{path}", markup=False)

    @case_app.command("overdue")
    def overdue(
        on: Optional[str] = typer.Option(None, "--on", help="按此日期计算（默认今天）"),
        fmt: str = common.format_option(),
    ) -> None:
        """列出超过办理时限的案件（按工作日计算，含法定节假日和调休）。

        示例：ipwatch case overdue --format json
        """
        with common.store() as store:
            late = caseclock.overdue(store, common.settings(), workdays.parse_day(on))
        if fmt == "json":
            common.emit_json(late)
            return
        for item in late:
            common.console.print(
                f"{item['number']}  {item['status_label']}  时限 {item['due']}  已超 {item['late_workdays']} 个工作日",
                markup=False,
            )
        if not late:
            common.console.print("没有超期案件。", markup=False)

    @case_app.command("purge")
    def purge(
        on: Optional[str] = typer.Option(None, "--on", help="按此日期计算（默认今天）"),
        wait: float = typer.Option(30, "--wait", min=0, help="等待其他程序释放数据库的秒数"),
    ) -> None:
        """删除已到保存期限的联系人个人信息（保存期限见设置 privacy.retention_days）。

        先独占数据库（其他程序仍在读取时等待，超时则不删除并报错），删除后核实数据库文件中已无这些信息才报告完成。

        示例：ipwatch case purge --wait 60
        """
        with common.store() as store:
            done = cases.purge_contacts(store, workdays.parse_day(on), wait_seconds=wait)
        common.console.print(f"已删除 {len(done)} 个案件的联系人信息：{'、'.join(done) or '无'}", markup=False)


def _register_documents(case_app: typer.Typer) -> None:
    @case_app.command("opinion")
    def opinion(
        number: str = typer.Argument(..., help="案件编号"),
        out: Optional[Path] = typer.Option(None, "--out", help="意见书 .docx 的保存位置"),
        by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    ) -> None:
        """起草《海外知识产权纠纷应对行政指导意见书》（Word，公文格式），附相关国别指南、法律动态和服务机构。

        示例：ipwatch case opinion 2026-0001 --out 意见书.docx
        """
        settings = common.settings()
        target = docxutil.check_target(out or casedocs.document_path(settings, number, "意见书"))
        with common.store() as store:
            doc = casedocs.draft_opinion(settings, store, number)
            path = docxutil.save_atomic(doc, target)
            cases.record_draft(store, number, path, actor=_by(by))
        common.console.print(f"意见书草稿：{path}\n审阅定稿后办理：ipwatch case advance {number} 出具意见书", markup=False)


def _register_supervision(case_app: typer.Typer) -> None:
    @case_app.command("stats")
    def stats(
        period: str = typer.Option(..., "--period", help="期间：2026Q3、2026-09 或 2026"),
        xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="同时写出 XLSX 表格"),
        fmt: str = common.format_option(),
    ) -> None:
        """考核统计：各部门收到、受理、对接和出具意见书的中位工作日、超期、通报。

        示例：ipwatch case stats --period 2026Q3 --xlsx 考核2026Q3.xlsx
        """
        with common.store() as store:
            data = casestats.case_stats(store, common.settings(), period)
        if xlsx:
            casestats.write_stats_xlsx(data, xlsx)
        if fmt == "json":
            common.emit_json(data)
            return
        common.console.print(f"办理情况 {data['period']}（{data['start']} 至 {data['end']}）", markup=False)
        common.print_table([label for _, label in casestats.COLUMNS],
                           [["—" if row[k] is None else row[k] for k, _ in casestats.COLUMNS] for row in data["rows"]])
