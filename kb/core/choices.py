"""The choices of the application form (附件1 of 韶曲市监联字〔2022〕8号), defined once.

Each choice has a stable code (stored, exported, used in URLs) and the form's own Chinese
label. The dispute database, the reports, the validator, the web form and the Word form all
take their lists from here. Order is the form's order.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(code, label) for code, label in pairs)


# 纠纷应对指导申请人类别
APPLICANT_TYPES = _choices(
    ("enterprise", "企业"),
    ("association", "社会团体"),
    ("research", "科研院所"),
    ("other", "其他"),
)

# 涉及纠纷类型 (several may be ticked)
DISPUTE_TYPES = _choices(
    ("validity", "商标、专利、版权、地理标志等权利有效性纠纷"),
    ("ownership", "商标、专利、版权、地理标志等权属纠纷"),
    ("infringement", "商标、专利、版权、地理标志等侵权纠纷"),
    ("trade_investigation", "商标、专利、版权等相关贸易调查纠纷"),
    ("licensing", "商标、专利、版权、地理标志等许可纠纷"),
    ("trade_fair", "展会知识产权纠纷"),
    ("trade_secret", "商业秘密纠纷"),
    ("other", "其他"),
)

# Short labels for tables and charts.
DISPUTE_TYPE_SHORT = {
    "validity": "有效性纠纷",
    "ownership": "权属纠纷",
    "infringement": "侵权纠纷",
    "trade_investigation": "贸易调查纠纷",
    "licensing": "许可纠纷",
    "trade_fair": "展会纠纷",
    "trade_secret": "商业秘密纠纷",
    "other": "其他",
}

# 涉及权利类别 (several; 其他 takes a text)
RIGHT_TYPES = _choices(
    ("invention_patent", "发明专利"),
    ("utility_model", "实用新型专利"),
    ("design", "工业品外观设计"),
    ("trademark", "商标"),
    ("geographical_indication", "地理标志"),
    ("ic_layout", "集成电路布图设计"),
    ("copyright", "版权"),
    ("other", "其他"),
)

# Rights that public records name and the form does not (a Section 337 complaint may rest on a
# trade secret or on trade dress). Public records take the form's rights plus these; the form,
# and so every local case, keeps the form's list.
PUBLIC_RIGHT_EXTRAS = _choices(
    ("trade_secret", "商业秘密"),
    ("trade_dress", "商业外观"),
)
RECORD_RIGHT_TYPES = RIGHT_TYPES[:-1] + PUBLIC_RIGHT_EXTRAS + RIGHT_TYPES[-1:]

# The side the Chinese party takes in a public record (e.g. a Section 337 investigation).
CHINESE_PARTY_ROLES = _choices(
    ("complainant", "申请人"),
    ("respondent", "被申请人"),
    ("third_party", "第三方"),
)

# 纠纷国家/地区 (several; 其他 takes a text). Codes are ISO 3166-1 alpha-2.
COUNTRIES = _choices(
    ("US", "美国"),
    ("DE", "德国"),
    ("FR", "法国"),
    ("GB", "英国"),
    ("JP", "日本"),
    ("KR", "韩国"),
    ("IN", "印度"),
    ("BR", "巴西"),
    ("RU", "俄罗斯"),
    ("TR", "土耳其"),
    ("AU", "澳大利亚"),
    ("other", "其他"),
)

# 纠纷对象类型 (one; 其他 takes a text)
COUNTERPARTY_TYPES = _choices(
    ("competitor", "竞争对手"),
    ("npe", "非专利实施实体（NPE）"),
    ("university", "高校或研究机构"),
    ("individual", "个人"),
    ("other", "其他"),
)

# 纠纷领域 — the key industries of the risk report (one; 其他 takes a detailed text)
FIELDS = _choices(
    ("mechanical", "机械"),
    ("electrical", "电学"),
    ("communication", "通信"),
    ("chemical", "化学"),
    ("optoelectronic", "光电"),
    ("biomedical", "医药生物"),
    ("other", "其他"),
)

# 纠纷级别
LEVELS = _choices(
    ("ordinary", "普通纠纷"),
    ("major", "重大/疑难纠纷"),
)
MAJOR_LEVEL_NOTE = "重大/疑难纠纷特指影响产业发展、数额特别巨大、波及范围较广的纠纷"

# Jurisdictions tracked beyond the form's countries (law changes, guides).
EXTRA_JURISDICTIONS = _choices(
    ("EU", "欧盟"),
    ("WIPO", "世界知识产权组织"),
)

# Rights as named by law sources (a law concerns one or more of these).
LAW_RIGHTS = _choices(
    ("patent", "专利"),
    ("utility_model", "实用新型"),
    ("design", "外观设计"),
    ("trademark", "商标"),
    ("copyright", "版权"),
    ("trade_secret", "商业秘密"),
    ("geographical_indication", "地理标志"),
    ("ic_layout", "集成电路布图设计"),
    ("customs", "海关保护"),
    ("procedure", "程序"),
)


def codes(choices: tuple[Choice, ...]) -> list[str]:
    return [c.code for c in choices]


def label(choices: tuple[Choice, ...], code: str) -> str:
    for choice in choices:
        if choice.code == code:
            return choice.label
    raise KeyError(code)


def jurisdiction_label(code: str) -> str:
    for choice in COUNTRIES + EXTRA_JURISDICTIONS:
        if choice.code == code.upper() or choice.code == code:
            return choice.label
    return code
