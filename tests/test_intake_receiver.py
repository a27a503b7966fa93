"""The online receiver (`ipwatch intake serve`, Flask on waitress) as a real process on
loopback: a good submission end to end (inbox on disk, receipt, status page, import into a
case), then attacks — oversized bodies, wrong types, path tricks in file names, zip bombs in
DOCX, floods, foreign origins — each refused with a short Chinese message, no stack trace,
and nothing written."""
from __future__ import annotations

import json
import socket
import stat
import urllib.parse

import pytest

from intake_helpers import sample_application
from kb.cases import form
from receiver_helpers import PDF, PNG, Receiver, docx_bytes, export_json, multipart

MB = 1024 * 1024


@pytest.fixture(scope="module")
def receiver(tmp_path_factory):
    folder = tmp_path_factory.mktemp("receiver")
    with Receiver(folder, max_request_bytes=3 * MB, max_file_bytes=1 * MB, max_files=4,
                  max_docx_unpacked_bytes=5 * MB, submissions_per_hour=1000,
                  requests_per_minute=1000, lookups_per_hour=1000,
                  allowed_origins=["https://ipw.example.gov.cn"]) as running:
        yield running


def _no_trace(raw) -> None:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else json.dumps(raw, ensure_ascii=False)
    for word in ("Traceback", "File \"", "werkzeug", "flask", ".py", "Exception"):
        assert word not in text


def _lookup(receiver, receipt: str, code: str):
    body = urllib.parse.urlencode({"receipt": receipt, "code": code}).encode()
    return receiver.request("POST", "/status", body,
                            {"Content-Type": "application/x-www-form-urlencoded"})


def _raw_post(receiver, headers: bytes, chunks: list[bytes]) -> bytes:
    """Send a POST as it comes, ignoring a server that hangs up early; the answer's bytes."""
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=30) as sock:
        try:
            sock.sendall(b"POST /submit HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n\r\n")
            for chunk in chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server may close as soon as the cap is passed
        answer = b""
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:  # it hung up with our bytes unread, after answering
                return answer
            if not data:
                return answer
            answer += data


def _nothing_stored(receiver, before: list) -> None:
    after = [p for p in receiver.inbox_files() if ".incoming" not in str(p)]
    assert after == [p for p in before if ".incoming" not in str(p)]
    assert not any(".incoming" in str(p) for p in receiver.inbox_files())


def test_submission_is_stored_apart_and_private_and_imported(receiver):
    status, _, answer = receiver.submit([
        ("application", "申请书.json", export_json()),
        ("attachments", "营业执照.pdf", PDF), ("attachments", "律师函.png", PNG),
        ("attachments", "起诉状.docx", docx_bytes()),
    ])
    assert status == 201, answer
    receipt, code = answer["receipt"], answer["code"]
    assert answer["stage"] == "已收到，等待受理"
    assert [s["days"] for s in answer["steps"]] == [3, 5, 10, 10, 10]
    assert "0751-6696612" in answer["who_calls"]
    folder = receiver.data / "inbox" / receipt
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["application.json", "contact.json", "files/01.pdf", "files/02.png",
                     "files/03.docx", "meta.json"]
    assert all(stat.S_IMODE((folder / f).stat().st_mode) == 0o600 for f in files)
    data = sample_application()
    application = (folder / "application.json").read_text("utf-8")
    meta = (folder / "meta.json").read_text("utf-8")
    for key in form.CONTACT_KEYS:  # contact data only in contact.json; the code only hashed
        assert data[key] not in application and data[key] not in meta
    assert code not in meta
    assert json.loads((folder / "contact.json").read_text("utf-8"))["contact_name"] == data["contact_name"]

    status, _, page = _lookup(receiver, receipt, "WRONGCODE2")
    assert status == 404 and "回执编号或查询码不正确" in page.decode()
    status, _, page = _lookup(receiver, receipt.lower(), code.lower())
    assert status == 200 and "已收到，等待受理" in page.decode()

    listing = receiver.cli("case", "inbox")
    assert listing.returncode == 0 and receipt in listing.stdout and "待导入" in listing.stdout
    assert data["applicant_name"] not in listing.stdout and data["contact_name"] not in listing.stdout
    imported = receiver.cli("case", "inbox", "--import", receipt, "--by", "李四", "--format", "json")
    assert imported.returncode == 0, imported.stderr
    number = json.loads(imported.stdout)[0]["number"]
    assert not (folder / "contact.json").exists()  # kept once, in the case store, from now on
    refused = receiver.cli("case", "inbox", "--discard", receipt)
    assert refused.returncode == 1 and "已导入为案件" in refused.stderr
    again = receiver.cli("case", "inbox", "--all", "--by", "李四")
    assert again.returncode == 0 and number not in again.stdout  # nothing left to import
    shown = receiver.cli("case", "show", number, "--contacts", "--format", "json")
    case = json.loads(shown.stdout)
    assert case["source"] == "online" and case["contact"]["contact_name"] == data["contact_name"]
    assert receiver.cli("case", "advance", number, "accept", "--by", "李四").returncode == 0
    status, _, page = _lookup(receiver, receipt, code)
    text = page.decode()
    assert status == 200 and "已受理" in text
    assert data["applicant_name"] not in text and number not in text  # the stage only


@pytest.mark.parametrize("name", ["../../../etc/passwd.pdf", "..\\..\\windows\\evil.pdf",
                                  "/tmp/abs.pdf", "a\x00b.pdf", "名\n称.pdf", ".pdf", "x" * 300 + ".pdf"])
def test_path_tricks_in_file_names_never_reach_the_disk(receiver, name, tmp_path):
    status, _, answer = receiver.submit([("application", None, export_json()),
                                         ("attachments", name, PDF)])
    assert status == 201, answer
    folder = receiver.data / "inbox" / answer["receipt"]
    stored = [p.relative_to(folder).as_posix() for p in folder.rglob("*")]
    # a raw line break ends the part's header: the part is then no file at all
    assert set(stored) - {"files"} <= {"files/01.pdf", "application.json", "contact.json", "meta.json"}
    for entry in json.loads((folder / "meta.json").read_text("utf-8"))["attachments"]:
        shown = entry["name"]
        assert "/" not in shown and "\\" not in shown and "\x00" not in shown and "\n" not in shown
        assert len(shown) <= 80 and entry["file"] == "files/01.pdf"
    assert not (tmp_path.parents[2] / "etc").exists()


def test_wrong_types_are_refused_and_nothing_stored(receiver):
    before = receiver.inbox_files()
    exe = b"MZ\x90\x00" + b"\0" * 100
    cases = [
        [("application", None, export_json()), ("attachments", "invoice.pdf", exe)],
        [("application", None, export_json()), ("attachments", "a.docx", b"PK\x03\x04broken")],
        [("application", None, export_json()),
         ("attachments", "a.docx", docx_bytes({"../../evil.sh": b"rm -rf /"}))],
        [("application", None, b"{not json")],
        [("application", None, b"[1, 2]")],
        [("application", None, json.dumps({"format": "other"}).encode())],
        [("application", None, export_json({**sample_application(), "uscc": "123"}))],
        [("application", None, export_json({**sample_application(), "countries": {"a": 1}}))],
        [("attachments", "a.pdf", PDF)],
        [("application", None, export_json()), ("attachments", "empty.pdf", b"")],
    ]
    for parts in cases:
        status, _, answer = receiver.submit(parts)
        assert status == 400, (parts[-1][1], answer)
        assert answer["error"]
        _no_trace(answer)
    status, _, answer = receiver.submit(
        [("application", None, export_json({**sample_application(), "uscc": "123"}))])
    assert any(f["field"] == "统一社会信用代码" for f in answer["fields"])
    status, _, raw = receiver.request("POST", "/submit", export_json(),
                                      {"Content-Type": "application/json"})
    assert status == 415 and "multipart" in json.loads(raw)["error"]
    status, _, raw = receiver.request("GET", "/submit")
    assert status == 405
    _no_trace(raw)
    _nothing_stored(receiver, before)


def test_zip_bombs_and_oversized_files_are_refused(receiver):
    before = receiver.inbox_files()
    bomb = docx_bytes({"word/media/zeros.bin": b"\0" * (20 * MB)})  # ~20 KB packed
    assert len(bomb) < 100_000
    status, _, answer = receiver.submit([("application", None, export_json()),
                                         ("attachments", "bomb.docx", bomb)])
    assert status == 400 and "第1个附件「bomb.docx」" in answer["error"]
    ratio = docx_bytes({"word/media/x.bin": b"\0" * (2 * MB)})  # under the size cap, ratio > 100
    status, _, answer = receiver.submit([("application", None, export_json()),
                                         ("attachments", "r.docx", ratio)])
    assert status == 400 and "压缩" in answer["error"]
    big = b"%PDF-" + b"0" * (MB + 10)
    status, _, answer = receiver.submit([("application", None, export_json()),
                                         ("attachments", "big.pdf", big)])
    assert status == 400 and "超过 1 MB" in answer["error"]
    parts = [("application", None, export_json())] + [("attachments", f"{n}.png", PNG) for n in range(5)]
    status, _, answer = receiver.submit(parts)
    assert status == 413 and "最多 4 个" in answer["error"]
    _nothing_stored(receiver, before)


def test_oversized_bodies_are_refused_unread(receiver):
    before = receiver.inbox_files()
    huge = [("application", None, export_json())] + [("attachments", "a.pdf", b"%PDF-" + b"1" * MB)] * 3
    body, kind = multipart(huge)
    head = _raw_post(receiver, f"Content-Type: {kind}\r\nContent-Length: {len(body)}".encode(), [body])
    assert b" 413 " in head.split(b"\r\n")[0], head[:300]
    _no_trace(head.split(b"\r\n\r\n", 1)[1])
    # a Content-Length that announces 1 GB: refused before the body is sent
    head = _raw_post(receiver, b"Content-Type: multipart/form-data; boundary=b\r\n"
                               b"Content-Length: 1073741824", [b"--b\r\n"])
    assert b" 413 " in head.split(b"\r\n")[0], head[:300]
    # chunked, with no length announced: cut off at the cap
    chunk = b"%x\r\n%s\r\n" % (MB, b"a" * MB)
    head = _raw_post(receiver, b"Content-Type: multipart/form-data; boundary=b\r\n"
                               b"Transfer-Encoding: chunked", [chunk] * 5 + [b"0\r\n\r\n"])
    assert b" 413 " in head.split(b"\r\n")[0], head[:300]
    _nothing_stored(receiver, before)


def test_no_listing_no_files_from_disk_no_trace(receiver):
    for path in ["/inbox/", "/files/", "/../", "/%2e%2e/%2e%2e/etc/passwd", "/static/",
                 "/submit/../inbox", "/.incoming", "/status/..%2f..%2fmeta.json"]:
        status, head, raw = receiver.request("GET", path)
        assert status == 404, path
        assert "没有这个页面" in raw.decode()
        _no_trace(raw)
        assert "Werkzeug" not in head.get("Server", "") and "Python" not in head.get("Server", "")
    status, head, raw = receiver.request("GET", "/")
    assert status == 200 and "申请书在线接收" in raw.decode()
    assert head["X-Content-Type-Options"] == "nosniff" and "default-src 'none'" in head["Content-Security-Policy"]


def test_only_the_sites_origin_may_post(receiver):
    parts = [("application", None, export_json())]
    status, _, answer = receiver.submit(parts, {"Origin": "https://evil.example"})
    assert status == 403 and answer["error"] == "不接受来自该网页的提交"
    status, head, answer = receiver.submit(parts, {"Origin": "https://ipw.example.gov.cn"})
    assert status == 201 and head["Access-Control-Allow-Origin"] == "https://ipw.example.gov.cn"


def test_floods_are_limited_per_client(tmp_path):
    with Receiver(tmp_path, submissions_per_hour=2, requests_per_minute=30,
                  lookups_per_hour=3) as receiver:
        parts = [("application", None, export_json())]
        assert [receiver.submit(parts)[0] for _ in range(3)] == [201, 201, 429]
        status, head, answer = receiver.submit(parts)
        assert status == 429 and int(head["Retry-After"]) > 60 and "过于频繁" in answer["error"]
        lookups = [_lookup(receiver, "W20261202-AAAAAA", "BBBBBBBBBB")[0] for _ in range(4)]
        assert lookups == [404, 404, 404, 429]  # guessing codes is slowed down
        statuses = [receiver.request("GET", "/")[0] for _ in range(30)]
        assert statuses.count(429) >= 1 and statuses[0] == 200
        # a flood of form parts is refused while parsing
        many = [("application", None, export_json())] + [("x", None, b"1")] * 50
    (tmp_path / "second").mkdir()
    with Receiver(tmp_path / "second", max_files=4) as receiver:
        status, _, answer = receiver.submit(many)
        assert status == 413
        _no_trace(answer)


def test_a_store_that_cannot_be_written_is_a_503_without_paths(tmp_path):
    with Receiver(tmp_path) as receiver:
        receiver.data.mkdir(parents=True, exist_ok=True)
        (receiver.data / "inbox").write_text("not a folder", encoding="utf-8")
        status, _, answer = receiver.submit([("application", None, export_json())])
        assert status == 503 and "纸质申请书" in answer["error"]
        assert str(receiver.data) not in json.dumps(answer, ensure_ascii=False)
        _no_trace(answer)


def test_limits_follow_the_real_client_only_behind_a_trusted_proxy(tmp_path):
    parts = [("application", None, export_json())]
    (tmp_path / "direct").mkdir()
    with Receiver(tmp_path / "direct", submissions_per_hour=1) as receiver:
        spoofed = [receiver.submit(parts, {"X-Forwarded-For": f"10.0.0.{n}"})[0] for n in range(3)]
        assert spoofed == [201, 429, 429]  # a made-up header does not dodge the limit
    (tmp_path / "proxied").mkdir()
    with Receiver(tmp_path / "proxied", submissions_per_hour=1, trusted_proxy="127.0.0.1") as receiver:
        first = [receiver.submit(parts, {"X-Forwarded-For": "10.0.0.1"})[0] for _ in range(2)]
        other = receiver.submit(parts, {"X-Forwarded-For": "10.0.0.2"})[0]
        assert first == [201, 429] and other == 201  # one client's flood does not block another
