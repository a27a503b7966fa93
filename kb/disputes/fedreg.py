"""Import US Section 337 notices from the Federal Register API's JSON (公开纠纷记录).

The input is what ``https://www.federalregister.gov/api/v1/documents.json`` returns: an object
with ``results``, each a document with ``document_number``, ``title``, ``abstract``,
``publication_date``, ``agencies`` (``name``), ``html_url`` and, when present, ``docket_ids``.
A notice of the U.S. International Trade Commission about a Section 337 investigation becomes
one public dispute record per Chinese party it names (mainland China, Hong Kong, Macao):

- the investigation number (337-TA-NNNN) from ``docket_ids``, the title or the abstract;
- the complainant ("on behalf of X of City, Country") and the respondents ("X of City,
  Country", listed after "names as respondents"), with their countries;
- the Chinese party's role: 被申请人 when a respondent, 申请人 when the complainant;
- rights from the words of the notice (patent → 发明专利, trademark, copyright, trade secret →
  商业秘密, trade dress → 商业外观); the forum is the USITC; the date is the complaint's filing
  date when the abstract gives it, else the publication date.

What a notice does not say is not guessed: the industry is 其他 with the product as its text
and the counterparty 其他 (“337 调查申请人”) unless given; the level is the caller's choice.
A notice that is not a Section 337 notice, or names no Chinese party, is skipped and counted.
Every record is validated like any import; a file with any error imports nothing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kb.core.errors import FieldError, IpwatchError, ValidationError
from kb.core.store import Store, utcnow
from kb.disputes import records as disputes

USITC = "International Trade Commission"
FORUM = "美国国际贸易委员会（USITC）"
CHINESE_PLACES = {"CN", "HK", "MO"}
_INV = re.compile(r"337-TA-(\d{3,4})", re.I)
_FILED = re.compile(r"complaint was filed .{0,80}?\bon ([A-Z][a-z]+ \d{1,2}, \d{4})")
# "on behalf of Name Inc. of City, State." — the name may hold "Inc." or "Co., Ltd.": the party
# ends at the first full stop after its " of City, Country" part.
_BEHALF = re.compile(r"on behalf of (.+? of [A-Z][^.;]*?)(?:\.\s|\.$|;)")
_RESPONDENTS = re.compile(r"names? as respondents?:?\s*(.+?)(?:\.\s+[A-Z]|\.$)", re.S)
_PRODUCT = re.compile(r"^Certain (.+?)(?:;|$)")
US_STATES = set("""Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia
Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan
Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee
Texas Utah Vermont Virginia Washington Wisconsin Wyoming""".split()) | {
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "District of Columbia"}
_RIGHT_WORDS = [("trade secret", "trade_secret"), ("trade dress", "trade_dress"), ("trademark", "trademark"),
                ("copyright", "copyright"), ("design patent", "design"), ("patent", "invention_patent")]


@dataclass
class Party:
    name: str
    place: str  # ISO code when known (CN, HK, US …), else the text


@dataclass
class FedRegResult:
    file: str
    notices: int
    skipped: int
    rows: int
    added: int
    updated: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "notices": self.notices, "skipped": self.skipped, "rows": self.rows,
                "added": self.added, "updated": self.updated}


def _party(text: str) -> Party | None:
    """``Foo Co., Ltd. of Shenzhen, China`` → Party(name, CN); the country is the last part."""
    text = " ".join(text.split()).strip(" ;,.")
    text = re.sub(r"^(and|both)\s+", "", text)
    if " of " not in text:
        return None
    name, where = text.rsplit(" of ", 1)
    country = where.split(",")[-1].strip()
    return Party(name.strip(" ,"), "US" if country in US_STATES else disputes.place_code(country))


def parse_parties(text: str) -> list[Party]:
    """Parties separated by ``;`` (the notices' own separator), each ``Name of City, Country``."""
    parties = [_party(part) for part in re.split(r";\s*(?:and\s+)?", text)]
    return [p for p in parties if p and p.name]


def is_337(doc: dict) -> bool:
    agencies = " ".join(str(a.get("name", "")) for a in doc.get("agencies") or [] if isinstance(a, dict))
    text = f"{doc.get('title', '')} {doc.get('abstract', '')} {' '.join(doc.get('docket_ids') or [])}"
    return USITC in agencies and ("337" in text)


def investigation_number(doc: dict) -> str:
    for text in [*(doc.get("docket_ids") or []), doc.get("title") or "", doc.get("abstract") or ""]:
        match = _INV.search(str(text))
        if match:
            return f"337-TA-{match[1]}"
    return ""


def rights_of(text: str) -> list[str]:
    low = text.lower()
    found = []
    for words, code in _RIGHT_WORDS:
        if words in low:
            found.append(code)
            low = low.replace(words, " ")
    return found


def _filed_on(doc: dict) -> str:
    match = _FILED.search(doc.get("abstract") or "")
    if match:
        try:
            return datetime.strptime(match[1], "%B %d, %Y").date().isoformat()
        except ValueError:
            pass
    return str(doc.get("publication_date") or "")


def records_of(doc: dict, level: str = "ordinary", field: str | None = None) -> list[dict]:
    """The public dispute records of one notice: one per Chinese party."""
    title = " ".join(str(doc.get("title") or "").split())
    abstract = " ".join(str(doc.get("abstract") or "").split())
    behalf = _BEHALF.search(abstract)
    complainants = parse_parties(behalf[1]) if behalf else []
    respondents_match = _RESPONDENTS.search(abstract)
    respondents = parse_parties(respondents_match[1]) if respondents_match else []
    product = _PRODUCT.search(title)
    number = investigation_number(doc)
    common = {
        "origin": "public", "case_number": number, "forum": FORUM,
        "complainant": "；".join(p.name for p in complainants),
        "respondent_countries": [p.place for p in respondents],
        "dispute_types": "trade_investigation", "right_types": rights_of(f"{title} {abstract}") or ["other"],
        "right_other": "" if rights_of(f"{title} {abstract}") else "公告未载明",
        "countries": "US", "counterparty_type": "other", "counterparty_other": "337 调查申请人",
        "field": field or "other", "field_other": "" if field else (product[1] if product else title)[:200],
        "level": level, "filed_on": _filed_on(doc),
        "provenance": {"url": str(doc.get("html_url") or ""), "document_number": str(doc.get("document_number") or ""),
                       "publication_date": str(doc.get("publication_date") or "")},
    }
    out = []
    for role, parties in (("respondent", respondents), ("complainant", complainants)):
        for party in parties:
            if party.place in CHINESE_PLACES:
                out.append({**common, "enterprise": party.name, "chinese_role": role})
    return out


def read_documents(path: Path) -> list[dict]:
    if not path.is_file():
        raise IpwatchError(f"找不到文件：{path}")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IpwatchError(f"文件 {path.name} 不是联邦公报 API 的 JSON：{exc}") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise IpwatchError(f"文件 {path.name} 缺少 results 列表（应为 /api/v1/documents.json 的返回内容）")
    return results


def import_fedreg(store: Store, path: str | Path, level: str = "ordinary", field: str | None = None) -> FedRegResult:
    """Import the Section 337 notices of a Federal Register API JSON file: all or none."""
    path = Path(path)
    documents = read_documents(path)
    key = disputes.enterprise_key(store.path.parent)
    imported_at = utcnow()
    rows, errors, seen, skipped = [], [], {}, 0
    for number, doc in enumerate(documents, start=1):
        found = records_of(doc, level, field) if is_337(doc) else []
        if not found:
            skipped += 1
            continue
        for record in found:
            record["provenance"] = {**record["provenance"], "file": path.name, "imported_at": imported_at}
            clean, row_errors = disputes.validate_record(record, row=number)
            errors += [FieldError(f"第{number}条公告（{doc.get('document_number', '')}）{e.field}", e.message)
                       for e in row_errors]
            if row_errors:
                continue
            prepared = disputes.prepare(clean, key)
            if prepared[0] not in seen:  # the same party twice in one file: one record
                seen[prepared[0]] = number
                rows.append(prepared)
    if errors:
        raise ValidationError(errors, title=f"文件 {path.name} 校验未通过，未导入任何记录")
    with store.write() as conn:
        known = disputes.existing_keys(conn, [r[0] for r in rows])
        disputes.upsert_rows(conn, rows)
    return FedRegResult(str(path), len(documents), skipped, len(rows), len(rows) - len(known), len(known))
