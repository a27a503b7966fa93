"""The staff digest of the weekly run, sent by e-mail over SMTP (settings ``[mail]``).

Only what staff must act on: substantive law changes found by the run, overdue cases, guide
paragraphs to review, guides past their review date, and any step that failed. A case is named
by its number, status and due date: never the applicant, the contact person or their data.
Nothing to act on and no failure: no mail.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from kb.core.errors import IpwatchError
from kb.core.settings import Settings

if TYPE_CHECKING:
    from ipwatch.weekly import WeeklyResult


def _lines(settings: Settings, result: "WeeklyResult") -> list[str]:
    base = settings["cases"]["site_url"].rstrip("/")
    out: list[str] = []
    if result.failures:
        out += ["【未完成的步骤】", *(f"- {f}" for f in result.failures), ""]
    if result.warnings:
        out += ["【需要提前处理】", *(f"- {w}" for w in result.warnings), ""]
    if result.changes:
        out.append(f"【法律实质性修改】{len(result.changes)} 项（请审阅并撰写解读）")
        out += [f"- {c['title']}：{c['summary']}\n  官方文本：{c['url']}"
                + (f"\n  网站：{base}/changes/" if base else "") for c in result.changes]
        out.append("")
    if result.cases_overdue:
        names = {d["id"]: d["name"] for d in settings["departments"]}
        out.append(f"【超期案件】{len(result.cases_overdue)} 件")
        out += [f"- {c['number']}　{c['status_label']}　时限 {c['due']}　已超 {c['late_workdays']} 个工作日"
                f"　{names.get(c['department'], c['department'])}" for c in result.cases_overdue]
        out.append("")
    if result.stale:
        out.append(f"【国别指南待复核段落】{len(result.stale)} 段（所依据的条文已修改）")
        out += [f"- {s['file']}「{s['heading']}」：依据 {_relied(result, s['relies'])}" for s in result.stale]
        out.append("")
    if result.guides_overdue:
        out.append(f"【超过复核期的指南】{len(result.guides_overdue)} 篇")
        out += [f"- {g['file']}（上次复核 {g['reviewed']}）" for g in result.guides_overdue]
        out.append("")
    return out


def _relied(result: "WeeklyResult", relies: str) -> str:
    """``de-patg:§ 139`` as the law's title and the article: 德国《专利法》 § 139."""
    source, _, article = relies.partition(":")
    return f"{result.source_titles.get(source, source)} {article}".strip()


def subject(result: "WeeklyResult") -> str:
    parts = [f"法律修改 {len(result.changes)} 项", f"超期案件 {len(result.cases_overdue)} 件",
             f"待复核段落 {len(result.stale)} 段"]
    alarm = "【有步骤未完成】" if result.failures else ""
    return f"{alarm}海外知识产权维权援助每周摘要（{result.started_at[:10]}）：" + "，".join(parts)


def compose(settings: Settings, result: "WeeklyResult") -> EmailMessage | None:
    """The digest, or None when there is nothing to act on."""
    lines = _lines(settings, result)
    if not lines:
        return None
    mail = settings["mail"]
    message = EmailMessage()
    message["Subject"] = subject(result)
    message["From"] = mail["sender"]
    message["To"] = ", ".join(mail["recipients"])
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail["sender"].rpartition("@")[2] or "localhost")
    crawl = result.crawl
    head = [f"{settings['office']['short_name']}：本周自动运行（ipwatch run weekly）摘要。", ""]
    if crawl:
        head += [f"抓取 {crawl['sources']} 个来源：发现修改 {crawl['changes']}，抓取问题 {crawl['problem']}。", ""]
    tail = ["详情：ipwatch changes、ipwatch case overdue、ipwatch guides check。",
            "本邮件由系统自动发送，不含申请人和联系人信息。"]
    message.set_content("\n".join(head + lines + tail))
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    mail = settings["mail"]
    password = os.environ.get(mail["password_env"], "") if mail["username"] else ""
    if mail["username"] and not password:
        raise IpwatchError(f"邮件服务器需要登录，但环境变量 {mail['password_env']} 中没有密码")
    try:
        if mail["security"] == "ssl":
            server = smtplib.SMTP_SSL(mail["host"], mail["port"], timeout=mail["timeout"],
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(mail["host"], mail["port"], timeout=mail["timeout"])
        with server:
            if mail["security"] == "starttls":
                server.starttls(context=ssl.create_default_context())
            if mail["username"]:
                server.login(mail["username"], password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise IpwatchError(f"邮件摘要发送失败（{mail['host']}:{mail['port']}）：{error}") from None


def deliver(settings: Settings, result: "WeeklyResult") -> str:
    """Send the digest if mail is on and there is something to act on; say what happened."""
    if not settings["mail"]["enabled"]:
        return "未启用邮件摘要（设置 mail.enabled）"
    message = compose(settings, result)
    if message is None:
        return "没有需要处理的事项，未发送邮件"
    send(settings, message)
    return f"已发送工作摘要至 {len(settings['mail']['recipients'])} 位收件人"
