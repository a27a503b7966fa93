"""站内搜索: the page holding Pagefind's search box (its bundle is built after MkDocs)."""
from __future__ import annotations

PAGE = """# 站内搜索

<div data-pagefind-ignore="all" markdown="1">

在国别指南、法律动态和风险预警报告中检索。中文可直接输入词语，如“专利侵权”“审查”“展会临时禁令”；
多个词之间可加空格。

</div>

<div id="ipw-search" class="ipw-search" data-pagefind-ignore></div>

<noscript>站内搜索需要启用浏览器的 JavaScript。</noscript>
"""


def generate(ctx) -> None:
    ctx.write("search.md", PAGE)  # its own first-level entry in mkdocs.yml's nav
