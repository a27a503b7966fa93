"""The dispute database (海外知识产权纠纷数据库): de-identified dispute records.

One record per dispute and enterprise. Its fields are those of the application form (附件1),
with the form's choices from :mod:`kb.core.choices`; the enterprise is kept only as a keyed hash
(HMAC-SHA256, key in ``<data>/keys/enterprise.key``, created on first use), so reports can
count *distinct enterprises* while the store never holds a name or a credit code.

Adding a record (the case workflow calls this so that every case is counted)::

    from kb.disputes.records import add_dispute
    with store.write() as conn:
        dispute_id = add_dispute(conn, {
            "origin": "case",                      # case / public / sample
            "source_ref": "2026-017",              # case number, docket number ...
            "enterprise": "91440205MA4UXXXXXX",    # credit code (preferred) or name; hashed here
            "dispute_types": ["infringement"],     # codes or the form's labels
            "right_types": ["invention_patent"],
            "countries": ["US"],                   # ISO codes or 美国; unknown names → 其他 + text
            "counterparty_type": "npe",
            "field": "communication",              # 机械 电学 通信 化学 光电 医药生物 其他
            "level": "major",                      # ordinary / major (or 普通纠纷 / 重大/疑难纠纷)
            "received_on": "2026-08-03",           # and/or filed_on; closed_on; outcome
        })

Public records (origin ``public``) may also say what a published notice says: ``case_number``
(337-TA-1234, a docket number; the reference when ``source_ref`` is empty), ``chinese_role``
(申请人 / 被申请人 / 第三方), ``complainant`` (as published), ``respondent_countries`` (ISO
codes or names, e.g. 中国; 中国香港) and ``forum`` (USITC, a district court); their rights may
include 商业秘密 and 商业外观 (trade secret, trade dress), which the form does not list.

Duplicates are recognised by a natural key: ``origin:source_ref:enterprise_hash`` when a
reference is given, else a hash of the record's content. Adding the same record again updates
it in place (same id). Multi-valued fields accept a list or a string separated by ; ， , |.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kb.core import choices
from kb.core.errors import FieldError, IpwatchError, ValidationError
from kb.core.store import utcnow

ORIGINS = {"case": "本地案件", "public": "公开记录", "sample": "示例数据"}

# Outcomes are not on the form; these are the bureau's working list.
OUTCOMES = choices._choices(
    ("pending", "进行中"),
    ("settled", "和解"),
    ("won", "胜诉或对方请求被驳回"),
    ("lost", "败诉"),
    ("withdrawn", "对方撤回"),
    ("licensed", "达成许可"),
    ("other", "其他"),
)

# record key → (choices, multi-valued?, other-text key)
CHOICE_FIELDS: dict[str, tuple[tuple[choices.Choice, ...], bool, str | None]] = {
    "dispute_types": (choices.DISPUTE_TYPES, True, "dispute_type_other"),
    "right_types": (choices.RECORD_RIGHT_TYPES, True, "right_other"),
    "countries": (choices.COUNTRIES, True, "country_other"),
    "counterparty_type": (choices.COUNTERPARTY_TYPES, False, "counterparty_other"),
    "field": (choices.FIELDS, False, "field_other"),
    "level": (choices.LEVELS, False, None),
    "outcome": (OUTCOMES, False, None),
    "chinese_role": (choices.CHINESE_PARTY_ROLES, False, None),
}
OPTIONAL_CHOICES = ("outcome", "chinese_role")
PUBLIC_TEXT_FIELDS = ("case_number", "complainant", "forum")
# Where respondents are: the form's countries and the places public notices name most often.
PLACE_CODES = {c.label: c.code for c in choices.COUNTRIES if c.code != "other"} | {
    "中国": "CN", "中国香港": "HK", "香港": "HK", "中国台湾": "TW", "台湾": "TW", "中国澳门": "MO",
    "越南": "VN", "马来西亚": "MY", "泰国": "TH", "新加坡": "SG", "加拿大": "CA", "墨西哥": "MX",
    "印度尼西亚": "ID", "以色列": "IL", "荷兰": "NL", "意大利": "IT", "瑞士": "CH", "瑞典": "SE",
    "China": "CN", "Hong Kong": "HK", "Taiwan": "TW", "Vietnam": "VN", "Malaysia": "MY",
    "Thailand": "TH", "Singapore": "SG", "Canada": "CA", "Mexico": "MX", "Japan": "JP",
    "Korea": "KR", "South Korea": "KR", "Republic of Korea": "KR", "Germany": "DE", "India": "IN",
    "United Kingdom": "GB", "France": "FR", "United States": "US", "Israel": "IL",
}
DATE_FIELDS = ("received_on", "filed_on", "closed_on")
TEXT_FIELDS = ("dispute_type_other", "right_other", "country_other", "counterparty_other",
               "field_other")
FIELD_LABELS = {
    "origin": "来源类别", "source_ref": "编号", "enterprise": "企业", "dispute_types": "纠纷类型",
    "right_types": "权利类别", "countries": "国家/地区", "counterparty_type": "纠纷对象类型",
    "field": "纠纷领域", "level": "纠纷级别", "received_on": "收到日期", "filed_on": "立案日期",
    "closed_on": "结案日期", "outcome": "结果", "case_number": "调查/案件编号",
    "chinese_role": "中方当事人角色", "complainant": "申请人/原告", "respondent_countries": "被申请人所在国家/地区",
    "forum": "审理机构",
}
_SPLIT = re.compile(r"[;；|,，\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Extra spellings seen in public lists and spreadsheets.
_ALIASES = {
    "level": {"普通": "ordinary", "重大": "major", "疑难": "major", "重大疑难": "major",
              "重大/疑难": "major", "重大疑难纠纷": "major"},
    "counterparty_type": {"npe": "npe", "非专利实施实体": "npe", "竞争者": "competitor"},
}


# --- the enterprise key and hash -------------------------------------------------------------

def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / "enterprise.key"


def enterprise_key(data_dir: Path) -> bytes:
    """The HMAC key of this data folder, created (32 random bytes, mode 0600) on first use."""
    path = key_path(data_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32).hex().encode())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another process created the key meanwhile: keep theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        _fsync_dir(path.parent)
    return _read_key(path)


def _fsync_dir(folder: Path) -> None:
    """Make a new directory entry (the key's link) durable before hashes depend on it."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_key(path: Path) -> bytes:
    """The key, or a user error: a damaged key must be restored from a backup, never replaced
    (every stored enterprise hash depends on it)."""
    try:
        key = bytes.fromhex(path.read_text("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise IpwatchError(f"企业密钥文件 {path} 已损坏（应为 64 位十六进制字符），请从备份恢复；"
                           "切勿删除或重新生成，否则已保存的企业散列将无法对应")
    return key


def normalise_enterprise(identifier: str) -> str:
    text = unicodedata.normalize("NFKC", identifier).strip()
    text = re.sub(r"\s+", "", text).upper()
    if re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", text):
        return f"uscc:{text}"
    return f"name:{text}"


def enterprise_hash(key: bytes, identifier: str) -> str:
    """Keyed hash of an enterprise (credit code preferred; a name hashes differently)."""
    mac = hmac.new(key, normalise_enterprise(identifier).encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:32]


def data_dir_of(conn: sqlite3.Connection) -> Path:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent
    raise IpwatchError("纠纷记录只能写入数据目录中的数据库文件（需要其中的企业密钥）")


# --- parsing and validation ------------------------------------------------------------------

def _lookup(name: str, options: tuple[choices.Choice, ...], value: str) -> str | None:
    text = unicodedata.normalize("NFKC", value).strip()
    for choice in options:
        if text.lower() == choice.code.lower() or text == unicodedata.normalize("NFKC", choice.label):
            return choice.code
    if name == "dispute_types":
        for code, short in choices.DISPUTE_TYPE_SHORT.items():
            if text == short:
                return code
    return _ALIASES.get(name, {}).get(text.lower().replace(" ", ""))


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in _SPLIT.split(str(value)) if part.strip()]


def parse_date(value: Any) -> str | None:
    """A date as YYYY-MM-DD, or None for empty; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return date(*(int(g) for g in match.groups())).isoformat()


def _parse_choice(name: str, raw: Any, out: dict, errors: list[FieldError], row: int | None):
    options, multi, other_key = CHOICE_FIELDS[name]
    items = _items(raw) if multi else _items(raw)[:1] if raw not in (None, "") else []
    if not multi and len(_items(raw)) > 1:
        errors.append(FieldError(FIELD_LABELS[name], "只能选一项", row=row))
    codes, unknown = [], []
    for item in items:
        code = _lookup(name, options, item)
        (codes if code else unknown).append(code or item)
    if unknown and name == "countries":  # a country not on the form: 其他 with its name
        codes.append("other")
        out[other_key] = "、".join(filter(None, [out.get(other_key, ""), *unknown]))
    elif unknown:
        allowed = "、".join(c.label for c in options)
        errors.append(FieldError(FIELD_LABELS[name], f"无法识别「{'、'.join(unknown)}」，可选：{allowed}", row=row))
    if not codes and name not in OPTIONAL_CHOICES and not unknown:
        errors.append(FieldError(FIELD_LABELS[name], "必填", row=row))
    unique = list(dict.fromkeys(codes))
    out[name] = ",".join(unique) if multi else (unique[0] if unique else "pending" if name == "outcome" else "")


def _parse_dates(record: dict, out: dict, errors: list[FieldError], row: int | None) -> None:
    for name in DATE_FIELDS:
        try:
            out[name] = parse_date(record.get(name))
        except ValueError:
            errors.append(FieldError(FIELD_LABELS[name], f"日期格式应为 YYYY-MM-DD：{record.get(name)!r}", row=row))
            out[name] = None
    start = out.get("filed_on") or out.get("received_on")
    if not start and not any(e.field in (FIELD_LABELS["filed_on"], FIELD_LABELS["received_on"]) for e in errors):
        errors.append(FieldError(FIELD_LABELS["received_on"], "收到日期与立案日期至少填一项", row=row))
    if out.get("closed_on") and start and out["closed_on"] < min(filter(None, [out.get("filed_on"), out.get("received_on")])):
        errors.append(FieldError(FIELD_LABELS["closed_on"], "结案日期早于立案/收到日期", row=row))
    out["event_on"] = start


def validate_record(record: dict[str, Any], row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean one record (codes, dates, texts) and list what is wrong with it, field by field.

    The enterprise stays raw here (``enterprise``) unless ``enterprise_hash`` is given.
    """
    errors: list[FieldError] = []
    out: dict[str, Any] = {key: str(record.get(key) or "").strip() for key in TEXT_FIELDS}
    origin = str(record.get("origin") or "").strip()
    if origin not in ORIGINS:
        errors.append(FieldError(FIELD_LABELS["origin"], f"应为 {'/'.join(ORIGINS)}：{origin!r}", row=row))
    out["origin"] = origin
    out["source_ref"] = str(record.get("source_ref") or "").strip()
    out["provenance"] = record.get("provenance") or {}
    out["enterprise_hash"] = str(record.get("enterprise_hash") or "").strip()
    out["enterprise"] = str(record.get("enterprise") or "").strip()
    if not out["enterprise_hash"] and not out["enterprise"]:
        errors.append(FieldError(FIELD_LABELS["enterprise"], "必填（统一社会信用代码或名称，仅保存其密钥散列）", row=row))
    for name in CHOICE_FIELDS:
        _parse_choice(name, record.get(name), out, errors, row)
    for name, (_, _, other_key) in CHOICE_FIELDS.items():
        if other_key and "other" in out[name].split(",") and not out[other_key] and name in ("field", "countries"):
            errors.append(FieldError(FIELD_LABELS[name], "选择「其他」时须说明具体内容", row=row))
    _parse_dates(record, out, errors, row)
    _parse_public(record, out, errors, row)
    return out, errors


def place_code(name: str) -> str:
    """A place as an ISO code (CN, HK …) when known, else the name as given."""
    text = unicodedata.normalize("NFKC", name).strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return PLACE_CODES.get(text) or PLACE_CODES.get(text.title()) or text


def _parse_public(record: dict, out: dict, errors: list[FieldError], row: int | None) -> None:
    """The fields of public records; rights beyond the form's list only for them."""
    for name in PUBLIC_TEXT_FIELDS:
        out[name] = " ".join(str(record.get(name) or "").split())
        if len(out[name]) > 300:
            errors.append(FieldError(FIELD_LABELS[name], f"过长（{len(out[name])} 字，最多 300 字）", row=row))
    out["respondent_countries"] = ",".join(dict.fromkeys(place_code(p) for p in _items(record.get("respondent_countries"))))
    if not out["source_ref"]:
        out["source_ref"] = out["case_number"]
    extras = set(choices.codes(choices.PUBLIC_RIGHT_EXTRAS)) & set(out["right_types"].split(","))
    if extras and out["origin"] != "public":
        names = "、".join(choices.label(choices.RECORD_RIGHT_TYPES, c) for c in sorted(extras))
        errors.append(FieldError(FIELD_LABELS["right_types"], f"「{names}」只用于公开纠纷记录，申请表没有此项", row=row))
    public_only = [FIELD_LABELS[n] for n in (*PUBLIC_TEXT_FIELDS, "chinese_role", "respondent_countries") if out[n]]
    if public_only and out["origin"] not in ("public", ""):
        errors.append(FieldError(public_only[0], "只用于公开纠纷记录（来源类别 public）", row=row))


def natural_key(clean: dict[str, Any]) -> str:
    """How a duplicate is recognised: the reference when there is one, else the content."""
    if clean["source_ref"]:
        return f"{clean['origin']}:{clean['source_ref']}:{clean['enterprise_hash']}"
    content = "|".join(str(clean[k]) for k in (
        "enterprise_hash", "dispute_types", "right_types", "countries", "counterparty_type",
        "field", "filed_on", "received_on"))
    return f"{clean['origin']}:#{hashlib.sha256(content.encode()).hexdigest()[:24]}"


_COLUMNS = ("natural_key", "origin", "source_ref", "provenance", "enterprise_hash",
            "dispute_types", "dispute_type_other", "right_types", "right_other", "countries",
            "country_other", "counterparty_type", "counterparty_other", "field", "field_other",
            "level", "received_on", "filed_on", "closed_on", "outcome", "event_on", "case_number",
            "chinese_role", "complainant", "respondent_countries", "forum")
_UPSERT = (
    f"INSERT INTO disputes({', '.join(_COLUMNS)}, created_at, updated_at)"
    f" VALUES ({', '.join('?' * len(_COLUMNS))}, ?, ?)"
    " ON CONFLICT(natural_key) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
    + ", updated_at = excluded.updated_at"
)


def prepare(clean: dict[str, Any], key: bytes | None) -> tuple:
    """The row to store: the enterprise hashed, the natural key computed."""
    if not clean["enterprise_hash"]:
        if key is None:
            raise IpwatchError("缺少企业密钥，无法保存企业散列")
        clean["enterprise_hash"] = enterprise_hash(key, clean.pop("enterprise"))
    clean.pop("enterprise", None)
    clean["natural_key"] = natural_key(clean)
    provenance = clean["provenance"]
    clean["provenance"] = provenance if isinstance(provenance, str) else json.dumps(provenance, ensure_ascii=False)
    now = utcnow()
    return tuple(clean[c] for c in _COLUMNS) + (now, now)


def remove_disputes(conn: sqlite3.Connection, origin: str, source_ref: str) -> int:
    """Remove the records of one source reference (a withdrawn or amended case); how many."""
    return conn.execute("DELETE FROM disputes WHERE origin = ? AND source_ref = ?", (origin, source_ref)).rowcount


def add_dispute(conn: sqlite3.Connection, record: dict[str, Any]) -> int:
    """Add or update (by natural key) one de-identified dispute record; return its id.

    Call it inside ``with store.write() as conn``. Raises ValidationError naming each bad field.
    """
    clean, errors = validate_record(record)
    if errors:
        raise ValidationError(errors, title="纠纷记录校验未通过")
    key = None if clean["enterprise_hash"] else enterprise_key(data_dir_of(conn))
    row = prepare(clean, key)
    conn.execute(_UPSERT, row)
    found = conn.execute("SELECT id FROM disputes WHERE natural_key = ?", (row[0],)).fetchone()
    return int(found[0])


def upsert_rows(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Store many prepared rows (see :func:`prepare`) at once."""
    conn.executemany(_UPSERT, rows)


def existing_keys(conn: sqlite3.Connection, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        sql = f"SELECT natural_key FROM disputes WHERE natural_key IN ({','.join('?' * len(chunk))})"
        found.update(r[0] for r in conn.execute(sql, chunk))
    return found


def count_disputes(conn: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT origin, COUNT(*) FROM disputes GROUP BY origin")}
