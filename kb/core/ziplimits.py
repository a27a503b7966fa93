"""Limits on an Office file (DOCX, XLSX) checked before any XML parser sees it.

A zip member's stated size can lie, so every member is decompressed once in a stream and
counted as it comes: the total decompressed size and the number of XML tags (``<``) are
capped. A file within the limits is then parsed whole by openpyxl or python-docx, whose memory
is a small multiple of its decompressed size, so memory stays bounded whatever the file.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kb.core.errors import IpwatchError

CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # decompressed, all members together
    max_tags: int  # "<" in all XML members together
    max_members: int = 2000


DOCX_LIMITS = Limits(max_bytes=20_000_000, max_tags=400_000)
XLSX_LIMITS = Limits(max_bytes=60_000_000, max_tags=3_000_000)


def _member_sizes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> tuple[int, int]:
    """(bytes, tags) of one member, stopping as soon as ``budget`` bytes are exceeded."""
    size = tags = 0
    xml = info.filename.endswith((".xml", ".rels"))
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            tags += chunk.count(b"<") if xml else 0
            if size > budget:
                break
    return size, tags


def check_archive(path: Path, limits: Limits, kind: str) -> bytes:
    """The file's bytes, once its members are known to stay within ``limits``; else a Chinese
    error naming the limit. Damaged archives are an error too."""
    data = Path(path).read_bytes()
    name = Path(path).name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise IpwatchError(f"文件 {name} 含有 {len(infos)} 个部件，超过 {kind} 文件的上限 {limits.max_members}，拒绝读取")
            _check_members(archive, infos, limits, name, kind)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise IpwatchError(f"文件 {name} 不是有效的 {kind} 文件：{exc}") from None
    return data


def _check_members(archive, infos, limits: Limits, name: str, kind: str) -> None:
    total = tags = 0
    for info in infos:
        size, count = _member_sizes(archive, info, limits.max_bytes - total)
        total, tags = total + size, tags + count
        if total > limits.max_bytes:
            raise IpwatchError(f"文件 {name} 解压后超过 {limits.max_bytes // 1_000_000} MB（{kind} 文件的上限），"
                               f"可能是压缩炸弹，拒绝读取")
        if tags > limits.max_tags:
            raise IpwatchError(f"文件 {name} 含有超过 {limits.max_tags:,} 个 XML 元素（{kind} 文件的上限），"
                               f"可能是压缩炸弹，拒绝读取")
