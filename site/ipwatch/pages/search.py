"""站内搜索: the page holding the search box (assets/ipw-search.js; its index is built after MkDocs)."""
from __future__ import annotations

PAGE = """# 站内搜索

在国别指南、法律动态和风险预警报告中检索。中文可直接输入问题或词语，如“美国律师函”“德国展会禁令”
“海关扣留”；英文、德文、日文等的机构名和法律术语也可以（如 USITC、Gebrauchsmuster、特許庁）。
结果按小节列出，最相关的在前；搜索在本机进行，离线打开网站也能用。

<div id="ipw-search" class="ipw-search"></div>

<noscript>站内搜索需要启用浏览器的 JavaScript。</noscript>
"""


def generate(ctx) -> None:
    ctx.write("search.md", PAGE)  # its own first-level entry in mkdocs.yml's nav
