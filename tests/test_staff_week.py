"""Issue 16 "done when": a week of the clerk's work replayed through the commands, in order.

The demo runs first and is never touched again (its folder unchanged; the official store gets
no sample record or report); real applications are imported and one is withdrawn; the month
not yet ended is refused, then published as 初步数据, then replaced by the final report when it
has ended; a report published by mistake is withdrawn (a notice stays); an opinion is drafted
from a case whose 会商 notes were recorded and advanced to 出具意见书; ``ipwatch run weekly``
crawls, checks the guides, lists the overdue case, rebuilds the site and mails the digest to a
real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from crawlers.demo_mirror import demo_registry
from intake_helpers import sample_application, write_export
from ipwatch.cli import app
from kb.cases import formcheck
from kb.core.store import open_store
from test_weekly import mail_settings, smtp  # noqa: F401  (the loopback SMTP server fixture)

NOTE = "会商意见：建议企业委托德国专利律师评估不侵权抗辩，并保全在先使用证据。"
SITE_URL = "https://ipwatch.example.gov.cn"


def _uscc(n: int) -> str:
    """A well-formed credit code (both check characters right) for a made-up enterprise."""
    body = f"M{n:07d}"
    first17 = "91440205" + body + formcheck.org_code_check_char(body)
    return first17 + formcheck.uscc_check_char(first17)


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_week_of_staff_work(data_dir, crawl_settings, smtp, tmp_path, monkeypatch):  # noqa: F811
    port, inbox = smtp
    runner = CliRunner()

    def run(*args, code=0):
        result = runner.invoke(app, list(args), terminal_width=200)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result

    # Monday: the demo, with IPWATCH_DATA pointing at the official record
    demo = subprocess.run([sys.executable, "-m", "ipwatch", "demo", "--out", str(tmp_path / "demo-site")],
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr
    demo_folder = data_dir / "demo"
    before = _tree(demo_folder)
    assert before and (demo_folder / "ipwatch.sqlite3").is_file()

    settings = mail_settings(crawl_settings.with_values(cases={"site_url": SITE_URL}), port)
    monkeypatch.setattr("ipwatch.cli.common.settings", lambda: settings)
    today = {"day": date(2026, 11, 27)}  # a Friday; the month has not ended
    monkeypatch.setattr("kb.cases.workdays.today", lambda: today["day"])

    # real applications come in; one was imported by mistake and is withdrawn
    numbers = []
    for i, (country, on) in enumerate([("DE", "2026-11-02"), ("US", "2026-11-09"), ("JP", "2026-11-12")]):
        export = write_export(sample_application(uscc=_uscc(i), applicant_name=f"韶关市曲江区企业{i}有限公司",
                                                 countries=[country]), tmp_path / f"a{i}.json")
        out = run("case", "import", str(export), "--by", "李四", "--on", on, "--format", "json").output
        [made] = json.loads(out[out.index("["):])
        assert made["created"]
        numbers.append(made["number"])
    run("case", "withdraw", numbers[2], "--reason", "重复建案", "--by", "李四")

    # the month has not ended: refused, then published as 初步数据
    refused = run("report", "build", "--period", "2026-11", code=1)
    assert "尚未结束" in str(refused.exception) and "--provisional" in str(refused.exception)
    run("report", "build", "--period", "2026-11", "--provisional")

    # an opinion from a case with recorded 会商 notes
    first = numbers[0]
    for args in (["accept"], ["contact"], ["confer", "--dept", "amr", "--dept", "copyright", "--note", NOTE]):
        run("case", "advance", first, *args, "--by", "李四")
    early = run("case", "advance", first, "opinion", "--by", "李四", code=1)
    assert "意见书" in str(early.exception)  # no draft yet: not issued
    draft = tmp_path / "意见书.docx"
    run("case", "opinion", first, "--out", str(draft))
    run("case", "advance", first, "opinion", "--by", "李四")
    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "海外知识产权纠纷应对行政指导意见书" in text and "不侵权抗辩" in text and SITE_URL in text

    # the month ends: the final report replaces the provisional one; a report published by
    # mistake is withdrawn
    today["day"] = date(2026, 12, 1)
    run("report", "build", "--period", "2026-11")
    run("report", "build", "--period", "2026Q3")
    run("report", "withdraw", "2026Q3", "--reason", "误发，本季度无本区案件数据")
    again = run("report", "withdraw", "2026Q3", "--reason", "再次", code=1)
    assert "不能重复撤回" in str(again.exception)

    # the weekly run: crawl, guides, overdue cases, site, digest
    weekly = run("run", "weekly", "--sources", str(demo_registry()), "--out", str(tmp_path / "site"))
    assert "超期案件：1 件" in weekly.output  # the second case was never accepted
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["staff@bureau.example"] and "超期案件 1 件" in message["Subject"]
    body = message.get_content()
    assert numbers[1] in body and numbers[2] not in body  # the withdrawn case is nobody's task
    for i in range(3):
        assert f"企业{i}有限公司" not in body and _uscc(i) not in body

    site = tmp_path / "site" / "reports"
    final = (site / "2026-11-all.html").read_text("utf-8")
    assert "初步数据" not in final and (site / "2026-11-all" / "report.docx").is_file()
    notice = (site / "2026Q3-all.html").read_text("utf-8")
    assert "已撤回" in notice and "误发，本季度无本区案件数据" in notice and not (site / "2026Q3-all").exists()
    assert "示例数据" not in (site / "index.html").read_text("utf-8")

    # the demo was never touched; the official record holds no sample data
    assert _tree(demo_folder) == before
    with open_store(settings) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM disputes WHERE origin = 'sample'").fetchone()[0] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM reports WHERE is_sample = 1").fetchone()[0] == 0
        rows = {r["period"]: (r["provisional"], bool(r["withdrawn_at"]))
                for r in store.conn.execute("SELECT * FROM reports")}
        assert rows == {"2026-11": (0, False), "2026Q3": (0, True)}
        builds = store.conn.execute("SELECT COUNT(DISTINCT build) FROM published_cells"
                                    " WHERE report_key = '2026-11-all'").fetchone()[0]
        assert builds == 2  # the provisional report's cells stay recorded
        cases = {r[0]: r[1] for r in store.conn.execute("SELECT number, status FROM cases")}
        assert cases == {numbers[0]: "opinion_issued", numbers[1]: "received", numbers[2]: "withdrawn"}
