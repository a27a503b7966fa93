"""The receiver's few HTML pages (Chinese, no script, no outside resource)."""
from __future__ import annotations

import html

STYLE = ("body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;"
         "line-height:1.6}label{display:block;margin:.6rem 0 .2rem;font-weight:700}"
         "input{font:inherit;padding:.3rem;width:100%;box-sizing:border-box}"
         "input:focus-visible,button:focus-visible{outline:3px solid #ff6f00;outline-offset:2px}"
         "button{font:inherit;margin-top:1rem;padding:.4rem 1.2rem}"
         ".stage{font-size:1.4rem;font-weight:700}")


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")


def home(office: str) -> str:
    return page("申请书在线接收", (
        f"<p>本服务由{html.escape(office)}设立，只接收在申请指导页面填写的《海外知识产权纠纷应对指导申请书》"
        "及其材料。</p><p><a href=\"status\">查询办理进度</a></p>"))


def status_form(message: str = "") -> str:
    note = f'<p role="alert">{html.escape(message)}</p>' if message else ""
    return page("查询办理进度", (
        f"{note}<p>请输入提交申请后得到的回执编号和查询码。</p>"
        '<form method="post" action="status">'
        '<label for="receipt">回执编号</label>'
        '<input id="receipt" name="receipt" autocomplete="off" required maxlength="20">'
        '<label for="code">查询码</label>'
        '<input id="code" name="code" autocomplete="off" required maxlength="20">'
        '<button type="submit">查询</button></form>'))


def status_result(receipt: str, stage: str) -> str:
    return page("查询办理进度", (
        f"<p>回执编号 {html.escape(receipt)} 的申请目前处于：</p>"
        f'<p class="stage">{html.escape(stage)}</p>'
        '<p><a href="status">查询其他回执</a></p>'))


def error(message: str) -> str:
    return page("无法处理请求", f"<p>{html.escape(message)}</p>")
