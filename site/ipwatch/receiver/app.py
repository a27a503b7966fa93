"""The receiver's routes, over kb.cases (the same checks as the browser and ``case import``).

- ``POST /submit`` (multipart): ``application`` = the exported JSON, ``attachments`` = files.
  Answers 201 with the receipt number, the one-time-shown lookup code and the next steps.
- ``GET/POST /status``: the stage of one receipt, given its lookup code; nothing else.
- ``GET /``: what this service is. Every other path is 404; nothing is listed or served from
  disk. Errors answer a short Chinese message, never a stack trace.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ipwatch.receiver import pages
from ipwatch.receiver.limits import RateLimiter
from kb.cases import formcheck, inbox, service
from kb.cases.attachments import AttachmentError, check_attachment
from kb.cases.importer import parse_export
from kb.core.errors import IpwatchError
from kb.core.store import open_store

log = logging.getLogger("ipwatch.receiver")

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                               " frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
MESSAGES = {
    400: "请求格式不正确", 403: "不接受来自该网页的提交", 404: "没有这个页面",
    405: "不支持该请求方法", 413: "提交的内容超过大小或数量限制", 415: "请以 multipart/form-data 提交",
    429: "请求过于频繁，请稍后再试", 500: "服务器内部错误，请稍后再试或致电办理部门",
    503: "暂时无法保存，请稍后再试，或按申请指导页面报送纸质申请书",
}


class Refused(Exception):
    """A request refused with a status code and a Chinese message (and field errors)."""

    def __init__(self, status: int, message: str, fields: list | None = None, wait: int = 0):
        super().__init__(message)
        self.status, self.message, self.fields, self.wait = status, message, fields or [], wait


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def allowed_origins(settings) -> set[str]:
    origins = {o.rstrip("/") for o in settings["receiver"]["allowed_origins"]}
    return origins | ({_origin(settings["cases"]["site_url"])} - {""})


def _limiter(settings) -> RateLimiter:
    r = settings["receiver"]
    return RateLimiter({"any": (r["requests_per_minute"], 60.0),
                        "submit": (r["submissions_per_hour"], 3600.0),
                        "lookup": (r["lookups_per_hour"], 3600.0)})


def _wants_json() -> bool:
    return request.path.startswith("/submit")


def _answer(status: int, message: str, fields: list | None = None, wait: int = 0) -> Response:
    if _wants_json():
        response = jsonify({"error": message, "fields": fields or []})
    else:
        response = Response(pages.error(message), mimetype="text/html")
    response.status_code = status
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _read_application() -> dict:
    part = request.files.get("application")
    raw = part.read() if part else (request.form.get("application") or "").encode("utf-8")
    if not raw:
        raise Refused(400, "缺少申请书（application）")
    try:
        data = parse_export(raw, "申请书")
    except IpwatchError as error:
        raise Refused(400, str(error)) from None
    clean, errors = formcheck.check_application(data)
    if errors:
        raise Refused(400, "申请书校验未通过",
                      [{"field": e.field, "message": e.message} for e in errors])
    return clean


def _read_attachments(settings) -> list:
    r = settings["receiver"]
    parts = request.files.getlist("attachments")
    if len(parts) > r["max_files"]:
        raise Refused(413, f"附件最多 {r['max_files']} 个，实际 {len(parts)} 个")
    try:
        return [check_attachment(n, p.filename or "", p.read(r["max_file_bytes"] + 1),
                                 max_bytes=r["max_file_bytes"],
                                 max_unpacked=r["max_docx_unpacked_bytes"])
                for n, p in enumerate(parts, start=1)]
    except AttachmentError as error:
        raise Refused(400, str(error)) from None


def _receipt(settings, receipt: str, code: str) -> dict:
    return {
        "receipt": receipt, "code": code, "stage": inbox.WAITING,
        "steps": [{"step": step, "days": days} for step, days in service.next_steps(settings)],
        "who_calls": service.who_calls(settings),
        "note": "请记下回执编号和查询码：查询码只显示这一次，凭两者可在“查询办理进度”页面查看办理环节。",
    }


def _guards(app: Flask, settings, limiter: RateLimiter) -> None:
    @app.before_request
    def every_request():
        limit("any")
        origin = request.headers.get("Origin")
        if request.method == "POST" and origin and origin not in allowed_origins(settings) \
                and origin != request.host_url.rstrip("/"):
            raise Refused(403, MESSAGES[403])

    def limit(bucket: str) -> None:
        wait = limiter.allow(bucket, request.remote_addr or "?")
        if wait:
            raise Refused(429, f"{MESSAGES[429]}（约 {wait} 秒后）", wait=wait)

    app.extensions["ipw_limit"] = limit


def _limit(bucket: str) -> None:
    from flask import current_app

    current_app.extensions["ipw_limit"](bucket)


def _routes(app: Flask, settings) -> None:
    @app.get("/")
    def home():
        return pages.home(settings["office"]["name"])

    @app.post("/submit")
    def submit():
        _limit("submit")
        if not request.mimetype == "multipart/form-data":
            raise Refused(415, MESSAGES[415])
        clean = _read_application()
        files = _read_attachments(settings)
        receipt, code = inbox.store_submission(settings, clean, files)
        log.info("收到在线申请 %s（附件 %d 个）", receipt, len(files))
        return jsonify(_receipt(settings, receipt, code)), 201

    @app.get("/status")
    def status_form():
        return pages.status_form()

    @app.post("/status")
    def status():
        _limit("lookup")
        receipt = (request.form.get("receipt") or "").strip().upper()
        code = request.form.get("code") or ""
        if not inbox.code_matches(settings, receipt, code):
            return pages.status_form("回执编号或查询码不正确"), 404
        with open_store(settings) as store:
            return pages.status_result(receipt, inbox.stage_of(store, settings, receipt))


def _handlers(app: Flask, settings) -> None:
    @app.errorhandler(Refused)
    def refused(error: Refused):
        return _answer(error.status, error.message, error.fields, error.wait)

    @app.errorhandler(IpwatchError)
    def not_stored(error: IpwatchError):
        # e.g. the disk is full: the message may name server paths, so only its type is logged
        log.error("无法处理 %s：%s", request.path, type(error).__name__)
        return _answer(503, MESSAGES[503])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _answer(error.code or 400, MESSAGES.get(error.code, MESSAGES[400]))

    @app.errorhandler(Exception)
    def internal(error: Exception):
        # the type only: a message or traceback may carry what the applicant typed
        log.error("内部错误 %s（%s %s）", type(error).__name__, request.method, request.path)
        return _answer(500, MESSAGES[500])

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        origin = request.headers.get("Origin")
        if origin and origin in allowed_origins(settings):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        return response


def create_app(settings) -> Flask:
    app = Flask("ipwatch.receiver", static_folder=None)
    r = settings["receiver"]
    app.config.update(
        MAX_CONTENT_LENGTH=r["max_request_bytes"],
        MAX_FORM_MEMORY_SIZE=1024 * 1024,     # the application JSON sent as a text field
        MAX_FORM_PARTS=r["max_files"] + 10,   # a flood of parts is refused while parsing
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    app.json.ensure_ascii = False  # Chinese messages readable in the answer
    _guards(app, settings, _limiter(settings))
    _routes(app, settings)
    _handlers(app, settings)
    return app


def serve(settings, host: str, port: int) -> None:
    """Run the receiver on waitress until interrupted."""
    from waitress import serve as waitress_serve

    r = settings["receiver"]
    proxy = {"trusted_proxy": r["trusted_proxy"], "trusted_proxy_count": 1,
             "trusted_proxy_headers": {"x-forwarded-for"}} if r["trusted_proxy"] else {}
    waitress_serve(create_app(settings), host=host, port=port, threads=4, ident="ipwatch",
                   max_request_body_size=r["max_request_bytes"], connection_limit=100,
                   channel_timeout=30, max_request_header_size=32 * 1024, expose_tracebacks=False,
                   clear_untrusted_proxy_headers=True, **proxy)
