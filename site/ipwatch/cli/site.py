from __future__ import annotations

import functools
import http.server
from pathlib import Path
from typing import Optional

import typer

from ipwatch.cli import common
from kb.core.errors import IpwatchError


def register(app: typer.Typer) -> None:
    site_app = typer.Typer(help="构建和预览网站。\n\n示例：ipwatch site build --out public",
                           no_args_is_help=True)
    app.add_typer(site_app, name="site")

    @site_app.command("build")
    def build(out: Optional[Path] = typer.Option(None, "--out", help="输出目录；默认为数据目录下的 site")) -> None:
        """由知识库生成网页并构建静态网站（MkDocs-Material，严格模式）。

        示例：ipwatch site build --out /srv/ipwatch-site
        """
        settings = common.settings()
        from ipwatch.sitebuild import build_site  # imported here: keeps `ipwatch --help` fast
        folder = build_site(settings, common.store(), out)
        common.console.print(f"网站已构建：{folder}\n预览：ipwatch site serve --dir {folder}", markup=False)

    @site_app.command("accept-hit")
    def accept_hit(
        case: str = typer.Option(..., "--case", help="案件编号，如 2026-0001"),
        field: str = typer.Option(..., "--field", help="字段：申请人、统一社会信用代码、联系人、联系人邮箱、联系电话、详细联系地址"),
        file: str = typer.Option(..., "--file", help="命中的发布文件（构建报错中所列路径）"),
        by: str = typer.Option(..., "--by", help="确认人姓名"),
        reason: str = typer.Option(..., "--reason", help="为何此处不是该案件的个人信息"),
    ) -> None:
        """确认保密信息检查的某处命中并非案件的个人信息（记录确认人、理由和时间），之后的构建不再因此失败。

        只对当时的值有效：该字段的值改变后需要重新确认。

        示例：ipwatch site accept-hit --case 2026-0001 --field 联系人 --file guides/us/laws/index.html --by 李四 --reason "此处“许可”指专利许可，非联系人姓名"
        """
        from kb.cases.leakaccept import PERSONAL_FIELDS, accept_hit as record

        with common.store() as store:
            done = record(store, number=case, field=field, path=file, by=by, reason=reason)
        common.console.print(f"已记录：{done['path']} 中案件 {case} 的「{PERSONAL_FIELDS[done['field']]}」"
                             f"由 {done['accepted_by']} 确认，理由：{done['reason']}", markup=False)

    @site_app.command("serve")
    def serve(
        directory: Optional[Path] = typer.Option(None, "--dir", help="网站目录；默认为数据目录下的 site"),
        port: int = typer.Option(8000, "--port", help="端口"),
        bind: str = typer.Option("127.0.0.1", "--bind", help="监听地址"),
    ) -> None:
        """在本机预览已构建的网站（按 Ctrl+C 结束）。

        示例：ipwatch site serve --port 8000
        """
        folder = (directory or common.settings().data_dir / "site").resolve()
        if not (folder / "index.html").is_file():
            raise typer.BadParameter(f"{folder} 中没有已构建的网站，请先运行 ipwatch site build")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        try:
            server = http.server.ThreadingHTTPServer((bind, port), handler)
        except OSError as error:  # busy port, address not on this machine, no permission
            raise IpwatchError(f"无法在 {bind}:{port} 上预览网站（{error.strerror or error}）；"
                               "端口可能已被占用，请用 --port 换一个端口") from None
        common.console.print(f"正在预览：http://{bind}:{port}/  （Ctrl+C 结束）", markup=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
