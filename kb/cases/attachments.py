"""Attachments of an online application: what a file is, told by its content, not its name.

Accepted: PDF, JPEG, PNG and Word (.docx). A .docx is a zip; it is opened only to list its
members, and refused if they would unpack to more than the cap, if one member compresses
more than ``MAX_RATIO`` to one (a zip bomb), if a member's name climbs out of the archive, or
if it lacks the parts every Word document has. Nothing is ever extracted to disk.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from kb.core.errors import IpwatchError

KINDS = {"pdf": "PDF", "jpg": "JPEG 图片", "png": "PNG 图片", "docx": "Word 文件"}
MAX_RATIO = 100
MAX_MEMBERS = 2000
WORD_PARTS = ("[Content_Types].xml", "word/document.xml")
NAME_CHARS = 80


class AttachmentError(IpwatchError):
    """An attachment refused; the message names the file (by its number and cleaned name)."""


@dataclass(frozen=True)
class Attachment:
    kind: str          # a key of KINDS, also the stored file's suffix
    name: str          # the sender's file name, cleaned, for display only
    data: bytes


def display_name(raw: str) -> str:
    """The sender's file name for display: no folders, no control characters, short."""
    base = re.split(r"[\\/]", raw or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c)[0] != "C")
    base = base.strip(" .") or "附件"
    return base[:NAME_CHARS]


def _docx_problem(data: bytes, max_unpacked: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "不是有效的 Word（.docx）文件"
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return "Word 文件内部条目过多"
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        return f"Word 文件解压后超过 {max_unpacked // (1024 * 1024)} MB"
    for m in members:
        if m.filename.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", m.filename):
            return "Word 文件内部路径异常"
        if m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return "Word 文件压缩比异常（疑似压缩炸弹）"
    names = {m.filename for m in members}
    if not all(part in names for part in WORD_PARTS):
        return "不是 Word（.docx）文件"
    return ""


def sniff(data: bytes, max_unpacked: int) -> str:
    """The kind of ``data`` (a key of KINDS), or AttachmentError."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        problem = _docx_problem(data, max_unpacked)
        if problem:
            raise AttachmentError(problem)
        return "docx"
    raise AttachmentError("只接受 PDF、JPEG、PNG 或 Word（.docx）文件（按文件内容判断，与文件名无关）")


def check_attachment(number: int, raw_name: str, data: bytes, *, max_bytes: int,
                     max_unpacked: int) -> Attachment:
    """One attachment checked, or AttachmentError naming it as 第N个附件「name」."""
    name = display_name(raw_name)
    where = f"第{number}个附件「{name}」"
    if not data:
        raise AttachmentError(f"{where}是空文件")
    if len(data) > max_bytes:
        raise AttachmentError(f"{where}超过 {max_bytes // (1024 * 1024)} MB")
    try:
        kind = sniff(data, max_unpacked)
    except AttachmentError as error:
        raise AttachmentError(f"{where}：{error}") from None
    return Attachment(kind=kind, name=name, data=data)
