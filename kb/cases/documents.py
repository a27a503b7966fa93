"""Drafted documents of a case, in the layout of GB/T 9704 (``kb.core.docxutil``):

- the 《海外知识产权纠纷应对行政指导意见书》, pre-filled from the case and from the knowledge
  base (guide sections that fit the country, right and dispute type; recent law changes that
  concern them; service bodies — ``kb.guides.related.related_guidance``);
- the 通报 of a 重大/疑难 dispute to the city, the province or the national centre.

Both are drafts for staff to edit and sign: the parts only staff can write are marked 【】.
The contact person's personal data are not put in either document.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from kb.cases import advice, workdays
from kb.cases import workflow as cases

from kb.core import choices
from kb.core import docxutil as du
from kb.core.errors import IpwatchError
from kb.core.store import Store

OPINION_TITLE = "海外知识产权纠纷应对行政指导意见书"
TO_FILL = "【待工作人员根据会商意见填写】"
CN_NUMERALS = "一二三四五六七八九十"
RelatedFn = Callable[..., dict]


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _labels(options, codes, other: str = "") -> str:
    names = [choices.label(options, c) for c in ([codes] if isinstance(codes, str) else codes)]
    return "、".join(f"{n}（{other}）" if n == "其他" and other else n for n in names)


def case_facts(case: dict) -> list[tuple[str, str]]:
    return [
        ("申请人类别", _labels(choices.APPLICANT_TYPES, case["applicant_type"])),
        ("纠纷类型", _labels(choices.DISPUTE_TYPES, case["dispute_types"])),
        ("权利类别", _labels(choices.RIGHT_TYPES, case["right_types"], case["right_other"])),
        ("纠纷国家/地区", _labels(choices.COUNTRIES, case["countries"], case["country_other"])),
        ("纠纷对象类型", _labels(choices.COUNTERPARTY_TYPES, case["counterparty_type"],
                             case["counterparty_other"])),
        ("纠纷领域", _labels(choices.FIELDS, case["field"], case["field_other"])),
        ("纠纷级别", _labels(choices.LEVELS, case["level"])),
    ]


def _merge(lists: list[list[dict]], cap: int) -> list[dict]:
    """Round-robin over the lists (one per country / dispute type), without duplicates."""
    out, seen = [], set()
    for rank in range(max((len(x) for x in lists), default=0)):
        for items in lists:
            if rank < len(items):
                key = (items[rank].get("url"), items[rank].get("title"))
                if key not in seen and len(out) < cap:
                    seen.add(key)
                    out.append(items[rank])
    return out


def _body_order(countries: list[str]):
    def rank(body: dict) -> int:
        places = set(body.get("jurisdictions", []))
        return 0 if places & set(countries) else 2 if "CN" in places else 1
    return rank


def gather_guidance(settings, store: Store, case: dict, related: RelatedFn, limit: int = 5) -> dict:
    """Related guidance for every country and dispute type of the case, merged: sections and
    changes in turn per country, the countries' own service bodies before the shared ones."""
    right = next((r for r in case["right_types"] if r != "other"), None)
    disputes = [d for d in case["dispute_types"] if d != "other"] or [None]
    countries = [c for c in case["countries"] if c != "other"]
    found = [
        related(settings, store, jurisdiction=country, right=right, dispute_type=dispute, limit=limit)
        for country in countries for dispute in disputes
    ]
    cap = limit * max(1, len(countries))
    bodies = _merge([f.get("bodies", []) for f in found], cap=100)
    return {
        "sections": _merge([f.get("sections", []) for f in found], cap),
        "changes": _merge([f.get("changes", []) for f in found], cap),
        "bodies": sorted(bodies, key=_body_order(countries))[:cap + 5],
    }


def document_number(settings, case_number: str, year: int) -> str:
    """The 发文字号 from the settings' pattern, e.g. 韶曲市监联字〔2026〕7号."""
    cfg = settings["cases"]
    seq = int(case_number.rpartition("-")[2])
    try:
        return cfg["document_number_pattern"].format(prefix=cfg["document_number_prefix"], year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as error:
        raise IpwatchError(f"设置项「cases.document_number_pattern」无效（{error}）：只能使用 {{prefix}}、"
                           "{year}、{seq}") from None


def _masthead(doc, settings, year: int, number: str) -> None:
    office = settings["office"]
    for name in [office["name"], *office["partners"]]:
        du.para(doc, name, align=WD_ALIGN_PARAGRAPH.CENTER, font=du.XIAOBIAOSONG, size=26,
                color=du.RED, exact=36)
    du.para(doc, "")
    du.para(doc, document_number(settings, number, year), align=WD_ALIGN_PARAGRAPH.CENTER)
    du.rule(doc, space_pt=16)


def _heading(doc, number: int, text: str) -> None:
    du.keep_with_next(du.para(doc, f"{CN_NUMERALS[number - 1]}、{text}", font=du.HEITI, indent=True))


def _signature(doc, settings, day: date) -> None:
    du.para(doc, "")
    office = settings["office"]
    for name in [office["name"], *office["partners"]]:
        du.para(doc, f"{name}　　", align=WD_ALIGN_PARAGRAPH.RIGHT)
    du.para(doc, f"{_chinese_date(day)}　　　　", align=WD_ALIGN_PARAGRAPH.RIGHT)
    du.para(doc, "（此件不公开）", indent=True)


def _record(doc, settings, day: date) -> None:
    """版记: 抄送 only when the settings name one, then the printing office and date."""
    copy_to = settings["cases"]["copy_to"].strip()
    du.para(doc, "")
    du.rule(doc, color="000000", size_eighths=8)
    if copy_to:
        du.para(doc, f"抄送：{copy_to.rstrip('。')}。", size=14, indent=False)
        du.rule(doc, color="000000", size_eighths=4)
    office = settings["office"]
    du.para(doc, f"{office['name']}办公室　　　{_chinese_date(day)}印发", size=14)
    du.rule(doc, color="000000", size_eighths=8)


def _departments_text(settings, case: dict) -> str:
    ids: list[str] = []
    for event in case["events"]:
        if event["step"] == "confer":
            ids += [d for d in event["departments"] if d not in ids]
    names = [settings.department(d)["name"] for d in ids or [case["department"]]]
    return "、".join(names)


def _open(doc, settings, day: date, title: str, addressee: str, number: str) -> None:
    """Masthead, title and the addressee line shared by every drafted document."""
    _masthead(doc, settings, day.year, number)
    du.para(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, font=du.XIAOBIAOSONG,
            size=du.TITLE_PT, exact=36)
    du.para(doc, "")
    du.para(doc, f"{addressee}：")


def _facts(doc, case: dict) -> None:
    """一、纠纷基本情况: the form's choices, the request and the expected impact."""
    _heading(doc, 1, "纠纷基本情况")
    for label, value in case_facts(case):
        du.para(doc, f"{label}：{value}。", indent=True)
    for label, key in (("申请事项", "request"), ("影响预估", "impact")):
        lines = [line.strip() for line in case[key].splitlines() if line.strip()] or [""]
        du.para(doc, f"{label}：{lines[0]}", indent=True)
        for line in lines[1:]:  # each line the applicant wrote is a paragraph of its own
            du.para(doc, line, indent=True)


def _close(doc, settings, day: date) -> None:
    _signature(doc, settings, day)
    _record(doc, settings, day)
    du.page_number_footer(doc)


def conferences(settings, case: dict) -> list[str]:
    """The recorded 会商: date, departments and what they agreed, one sentence each."""
    out = []
    for event in case["events"]:
        if event["step"] == "confer":
            names = "、".join(settings.department(d)["name"] for d in event["departments"])
            note = event["note"].strip().rstrip("。")
            day = _chinese_date(date.fromisoformat(event["on_date"]))
            out.append(f"{day}，{names}会商" + (f"，意见如下：{note}。" if note else "。"))
    return out


def _site_url(settings) -> str:
    url = settings["cases"]["site_url"].strip().rstrip("/")
    if not url and not settings.is_demo:
        raise IpwatchError("起草意见书前请在设置中填写网站地址「cases.site_url」（如 https://ipwatch.example.gov.cn），"
                           "意见书据此引用国别指南的公开网址")
    return url


def _advice(doc, items: list[advice.Advice], base_url: str) -> None:
    if not items:
        du.para(doc, "（知识库中暂无与本纠纷国家/地区、权利类别和纠纷类型相符的国别指南内容。）", indent=True)
        return
    for index, item in enumerate(items, start=1):
        du.keep_with_next(du.para(doc, f"（{CN_NUMERALS[min(index, 10) - 1]}）{item.title}",
                                  font=du.KAITI, indent=True))
        for text in item.paragraphs:
            du.para(doc, text, indent=True)
        where = f"{base_url}/{item.url}" if base_url else f"本系统网站 {item.url}"
        du.para(doc, f"详见《{item.guide}》“{item.title}”：{where}", indent=True, size=12)


def _list_items(doc, items: list[dict], empty: str, base_url: str) -> None:
    if not items:
        du.para(doc, empty, indent=True)
        return
    for item in items:
        url = item.get("url") or ""
        where = (url if "://" in url else f"{base_url}/{url}" if base_url else url) if url else ""
        du.para(doc, f"{item['title']}" + (f"：{where}" if where else ""), indent=True)


def draft_opinion(settings, store: Store, number: str, *, related: RelatedFn | None = None,
                  today: date | None = None):
    """The 意见书 of a case as a python-docx Document, for staff to review and sign.

    Composed of whole sentences: the case's facts, the recorded 会商 of the departments, whole
    paragraphs of the guide sections that fit the case (country, right, dispute type,
    counterparty) cited by title and public address, related law changes and service bodies."""
    if related is None:
        from kb.guides.related import related_guidance as related
    base_url = _site_url(settings)
    case = cases.get_case(store, number)
    day = today or workdays.today()
    guidance = gather_guidance(settings, store, case, related)
    items = advice.advice_for(case, guidance["sections"], advice.section_index())
    doc = du.new_document()
    _open(doc, settings, day, OPINION_TITLE, case["applicant_name"], number)
    received = date.fromisoformat(case["received_on"])
    du.para(doc, f"你单位于{_chinese_date(received)}提交的《海外知识产权纠纷应对指导申请书》"
            f"（案件编号：{case['number']}）收悉。经{_departments_text(settings, case)}与你单位对接、"
            "共同会商研究，现提出指导意见如下：", indent=True)
    _facts(doc, case)
    _heading(doc, 2, "会商意见")
    for sentence in conferences(settings, case) or [TO_FILL]:
        du.para(doc, sentence, indent=True)
    _heading(doc, 3, "应对建议")
    du.para(doc, "结合本纠纷的国家/地区、权利类别、纠纷类型和纠纷对象，建议参考以下国别指南内容：", indent=True)
    _advice(doc, items, base_url)
    _heading(doc, 4, "相关国外法律修改动态")
    _list_items(doc, guidance["changes"], "（近期未发现相关法律修改。）", base_url)
    _heading(doc, 5, "可联系的服务机构")
    _list_items(doc, guidance["bodies"], "（暂无。）", base_url)
    _heading(doc, 6, "联系方式")
    for dept in settings["departments"]:
        du.para(doc, f"{dept['name']}，地址：{dept['address']}，电话：{dept['phone']}。", indent=True)
    du.para(doc, "以上意见供你单位参考。纠纷进展如有变化，请及时与我局联系。", indent=True)
    _close(doc, settings, day)
    return doc


def draft_escalation(settings, store: Store, number: str, target: str, *,
                     today: date | None = None):
    """The 通报 of a 重大/疑难 dispute to ``target`` (city / province / national)."""
    case = cases.get_case(store, number)
    day = today or workdays.today()
    recipient = settings["escalation"][target]
    doc = du.new_document()
    _open(doc, settings, day, "关于重大涉外知识产权纠纷有关情况的通报", recipient, number)
    received = date.fromisoformat(case["received_on"])
    du.para(doc, f"{_chinese_date(received)}，我区{case['applicant_name']}（统一社会信用代码："
            f"{case['uscc']}）提交《海外知识产权纠纷应对指导申请书》（案件编号：{case['number']}），"
            f"申请纠纷级别为{choices.label(choices.LEVELS, case['level'])}。根据"
            f"{settings['office']['notice_number']}，现将有关情况通报如下：", indent=True)
    _facts(doc, case)
    _heading(doc, 2, "我区已开展的工作")
    for event in case["events"]:
        if event["step"] in cases.STEP_BY_CODE or event["step"] == "received":
            note = f"（{event['note']}）" if event["note"] and event["step"] != "received" else ""
            du.para(doc, f"{_chinese_date(date.fromisoformat(event['on_date']))}，"
                    f"{cases.EVENT_LABELS[event['step']]}{note}。", indent=True)
    _heading(doc, 3, "通报理由和请求事项")
    du.para(doc, TO_FILL, indent=True)
    du.para(doc, "特此通报。", indent=True)
    _close(doc, settings, day)
    return doc


def document_path(settings, number: str, kind: str) -> Path:
    return settings.data_dir / "cases" / number / f"{kind}-{number}.docx"
