"""``ipwatch intake serve``: the optional online receiver (ipwatch.receiver on waitress)."""
from __future__ import annotations

from typing import Optional

import typer

from ipwatch.cli import common


def register(app: typer.Typer) -> None:
    intake_app = typer.Typer(help="申请书在线接收（可选组件，默认不运行）。\n\n示例：ipwatch intake serve",
                             no_args_is_help=True)
    app.add_typer(intake_app, name="intake")

    @intake_app.command("serve")
    def serve(
        port: Optional[int] = typer.Option(None, "--port", help="端口；默认见设置 receiver.port"),
        bind: Optional[str] = typer.Option(None, "--bind", help="监听地址；默认见设置 receiver.host"),
    ) -> None:
        """运行在线接收服务：接收申请书和材料，存入数据目录下的 inbox/，答复回执编号和查询码。

        放在本局 HTTPS 前置服务器之后；网站设置 intake.receiver_url 后，申请指导页面才提供在线提交。
        用 ipwatch case inbox 查看和导入。按 Ctrl+C 结束。

        示例：ipwatch intake serve --port 8450
        """
        settings = common.settings()
        from ipwatch.receiver.app import serve as run  # imported here: keeps `ipwatch --help` fast
        host = bind or settings["receiver"]["host"]
        port = port or settings["receiver"]["port"]
        common.console.print(f"在线接收服务：http://{host}:{port}/  收件箱：{settings.data_dir / 'inbox'}"
                             "（Ctrl+C 结束）", markup=False)
        try:
            run(settings, host, port)
        except KeyboardInterrupt:
            pass
