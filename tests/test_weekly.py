"""ipwatch run weekly: crawl → guides check → overdue cases → site → the staff digest, received
by a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import email
import json
import socket
from datetime import date
from pathlib import Path
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from crawlers.demo_mirror import demo_registry
from intake_helpers import sample_application, write_export
from ipwatch.cli import app
from ipwatch.weekly import run_weekly
from kb.cases import importer
from kb.core.store import open_store
from kb.guides import load_guides

GUIDES = Path(__file__).parent / "data" / "guides"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=default_policy)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd checks its own port after start: it needs a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def mail_settings(settings, port, **extra):
    return settings.with_values(mail={"enabled": True, "host": "127.0.0.1", "port": port,
                                      "recipients": ["staff@bureau.example"], **extra})


def test_a_week_runs_itself_and_the_digest_reaches_staff(crawl_settings, demo_mirror, smtp, tmp_path, monkeypatch):
    port, inbox = smtp
    # guides reviewed in 2025 that rely on PatG § 139 (the bundled ones are reviewed as they change)
    monkeypatch.setattr("ipwatch.weekly.load_guides", lambda: load_guides(GUIDES))
    settings = mail_settings(crawl_settings, port)
    # an application received long ago and never accepted: overdue by now
    application = sample_application()
    with open_store(settings) as store:
        [case] = importer.import_file(store, settings, write_export(application, tmp_path / "a.json"),
                                      actor="李四", on="2026-09-01")

    first = run_weekly(settings, out=tmp_path / "site1", sources=demo_registry())
    assert first.ok, first.failures
    assert first.crawl["sources"] == 4 and first.changes == []
    assert [c["number"] for c in first.cases_overdue] == [case["number"]]
    assert (tmp_path / "site1" / "index.html").is_file()
    assert "已发送" in first.mail and len(inbox.messages) == 1  # the overdue case alone is worth a mail

    server, state1, state2 = demo_mirror
    server.set_layers([state2, state1])  # the laws change
    second = run_weekly(settings, out=tmp_path / "site2", sources=demo_registry())
    assert second.ok, second.failures
    assert {c["source_id"] for c in second.changes} >= {"de-patg"}
    assert second.stale  # the German guide relies on changed articles
    assert len(inbox.messages) == 2
    recipients, message = inbox.messages[-1]
    assert recipients == ["staff@bureau.example"]
    assert "法律修改 " in message["Subject"] and "超期案件 1 件" in message["Subject"]
    body = message.get_content()
    assert "【法律实质性修改】" in body and "de-patg" not in body and "专利法" in body
    assert case["number"] in body and "【国别指南待复核段落】" in body
    for private in (application["applicant_name"], application["contact_name"], application["contact_phone"],
                    application["contact_email"], application["uscc"]):
        assert private not in body


def test_nothing_to_act_on_sends_nothing_and_a_dead_server_is_a_failed_step(crawl_settings, smtp, tmp_path):
    port, inbox = smtp
    quiet = run_weekly(mail_settings(crawl_settings, port), out=tmp_path / "s", sources=demo_registry(),
                       today=date(2026, 9, 1))  # far from a year the calendar does not know
    assert quiet.ok and "未发送" in quiet.mail and inbox.messages == []
    with open_store(crawl_settings) as store:  # something to report, and no server listening
        importer.import_file(store, crawl_settings, write_export(sample_application(), tmp_path / "a.json"),
                             actor="李四", on="2026-09-01")
    dead = run_weekly(mail_settings(crawl_settings, 1), out=tmp_path / "s", sources=demo_registry())
    assert not dead.ok and dead.site  # the site was still rebuilt
    assert any(f.startswith("邮件摘要：邮件摘要发送失败（127.0.0.1:1）") for f in dead.failures)


def test_weekly_command_json_and_exit_status(crawl_settings, monkeypatch, tmp_path):
    monkeypatch.setattr("ipwatch.cli.common.settings", lambda: crawl_settings)
    runner = CliRunner()
    result = runner.invoke(app, ["run", "weekly", "--sources", str(demo_registry()),
                                 "--out", str(tmp_path / "site"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["ok"] and data["crawl"]["sources"] == 4 and data["site"] and data["failures"] == []
    broken = crawl_settings.with_values(mail={"enabled": True, "port": 1, "recipients": ["a@b.example"]})
    monkeypatch.setattr("ipwatch.cli.common.settings", lambda: broken)
    with open_store(broken) as store:
        importer.import_file(store, broken, write_export(sample_application(), tmp_path / "a.json"),
                             actor="李四", on="2026-09-01")
    failed = runner.invoke(app, ["run", "weekly", "--sources", str(demo_registry()), "--out", str(tmp_path / "site")])
    assert failed.exit_code == 1 and "失败：邮件摘要" in failed.output and "超期案件：1 件" in failed.output


def test_staff_are_told_before_the_working_day_calendar_runs_out(crawl_settings, smtp, tmp_path):
    """chinese_calendar ships the State Council's arrangements up to one year; a case whose time
    limit runs into the next year cannot be timed. The weekly run says so weeks before."""
    from kb.cases import workdays

    first, last = workdays.covered_years()
    late = date(last, 12, 2)
    assert workdays.calendar_gap(date(last, 6, 1)) is None
    assert workdays.calendar_gap(late) == last + 1
    port, inbox = smtp
    result = run_weekly(mail_settings(crawl_settings, port), out=tmp_path / "s", sources=demo_registry(), today=late)
    assert result.ok and any(f"缺少 {last + 1} 年" in w for w in result.warnings)
    [(_, message)] = inbox.messages
    body = message.get_content()
    assert "【需要提前处理】" in body and "[calendar]" in body
    known = crawl_settings.with_values(calendar={"years": [last + 1], "holidays": [f"{last + 1}-01-01"],
                                                 "workdays": []})
    assert workdays.calendar_gap(late, workdays.extra_from(known)) is None
