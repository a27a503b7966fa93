"""The application form of 附件1 (《海外知识产权纠纷应对指导申请书》), defined once.

Every field of the form, in the form's order: its key (stored, exported), its label (the
form's wording), its kind, whether it is required, whether several choices may be ticked,
its length limit, and for a choice list with 其他___ the key of the text that goes with it.
The Python validator (``kb.cases.formcheck``), the web form (``ipwatch.pages.intake`` writes
``schema_json()`` into the page; ``assets/intake-form.js`` reads it) and the Word form
(``kb.cases.formdocx``) are all produced from ``FIELDS`` — never retype a field elsewhere.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import phonenumbers

from kb.core import choices as ch
from kb.core import textcheck

FORMAT_ID = "ipwatch-application"  # "format" of the exported machine-readable file
FORMAT_VERSION = 1
TITLE = "海外知识产权纠纷应对指导申请书"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # text, textarea, uscc, email, phone, date, choice, choices
    required: bool = True
    max_len: int = 0  # characters; 0 = no text
    choices: tuple[ch.Choice, ...] = ()
    other_key: str = ""  # the text field that goes with the choice 其他 ("其他_____")
    hint: str = ""  # the form's own note under the label
    group: str = ""  # the form's row title when several fields share one row

    @property
    def multiple(self) -> bool:
        return self.kind == "choices"


def _other(key: str, label: str, max_len: int, hint: str = "") -> Field:
    """The text of a 其他_____ blank: required only when 其他 is ticked (see formcheck)."""
    return Field(key, label, "text", required=False, max_len=max_len, hint=hint)


FIELDS: tuple[Field, ...] = (
    Field("applicant_type", "纠纷应对指导申请人类别", "choice", choices=ch.APPLICANT_TYPES),
    Field("applicant_name", "申请人", "text", max_len=100),
    Field("uscc", "统一社会信用代码", "uscc", group="申请人信息"),
    Field("contact_name", "联系人", "text", max_len=50),
    Field("contact_email", "联系人邮箱", "email", max_len=254),
    Field("contact_phone", "联系电话", "phone", max_len=30),
    Field("address", "详细联系地址", "text", max_len=200),
    Field("dispute_types", "涉及纠纷类型", "choices", choices=ch.DISPUTE_TYPES),
    Field("right_types", "涉及权利类别", "choices", choices=ch.RIGHT_TYPES, other_key="right_other"),
    _other("right_other", "涉及权利类别（其他）", 50),
    Field("countries", "纠纷国家/地区", "choices", choices=ch.COUNTRIES, other_key="country_other"),
    _other("country_other", "纠纷国家/地区（其他）", 50),
    Field(
        "counterparty_type", "纠纷对象类型", "choice", choices=ch.COUNTERPARTY_TYPES,
        other_key="counterparty_other",
    ),
    _other("counterparty_other", "纠纷对象类型（其他）", 50),
    Field("field", "纠纷领域", "choice", choices=ch.FIELDS, other_key="field_other"),
    _other("field_other", "纠纷领域（其他）", 100, hint="详细说明具体领域"),
    Field(
        "request", "纠纷应对指导申请事项", "textarea", max_len=3000,
        hint="阐述纠纷情况和指导需求，可附页",
    ),
    Field(
        "impact", "纠纷影响预估", "textarea", max_len=3000,
        hint="阐述纠纷可能造成的不良影响和损失，可附页",
    ),
    Field("level", "纠纷级别", "choice", choices=ch.LEVELS, hint=ch.MAJOR_LEVEL_NOTE),
    Field("other_requests", "其他要求", "textarea", required=False, max_len=1000),
    Field("submitted_on", "申请日期", "date", required=False, hint="格式：2026-10-09"),
)

BY_KEY = {f.key: f for f in FIELDS}
CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone", "address")  # personal data

# Shared by Python and the browser: the exact same patterns and messages.
# Control characters (tab and line breaks are allowed in multi-line fields only), bidi
# controls and invisible characters (``kb.core.textcheck.INVISIBLE_RANGES``) are refused
# everywhere; spaces of ``kb.core.textcheck.SPACE_CLASS`` are trimmed from both ends.
CONTROL_CHARS = "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]"
LINE_CHARS = "[\\u0009\\u000A\\u000D]"
BIDI_CHARS = "[\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2028\\u2029\\u2066-\\u2069\\uFEFF]"
EMAIL_PATTERN = (
    "^(?=.{6,254}$)(?=[^@]{1,64}@)"
    "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
    "(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$"
)
PHONE_SHAPE = "^\\+?[0-9(][0-9 ()\\-]{5,24}$"
DATE_PATTERN = "^(\\d{4})-(\\d{2})-(\\d{2})$"
DATE_YEARS = (2000, 2100)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714-1997: weights of the organisation code's 8 body characters (positions 9–16 of the
# USCC, GB 32100-2015 §4.3); its check character (position 17) is 11 − Σ mod 11, 10 → X, 11 → 0.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 32100-2015 登记管理部门码 → 机构类别码 allowed after it.
USCC_CATEGORIES = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
    "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}

MESSAGES = {
    "required": "必填，请填写",
    "required_choice": "必选，请至少勾选一项",
    "unknown_choice": "含有表中没有的选项「{value}」",
    "one_choice": "只能选一项",
    "too_long": "超过{max}字（现为{len}字）",
    "bad_chars": "含有控制字符或双向文本控制字符，请删除后重新输入",
    "invisible_chars": "含有不可见字符（如零宽字符、软连字符、填充符或标签字符），请删除后重新输入",
    "bad_unicode": "含有无效的 Unicode 字符（孤立的代理项），请重新输入",
    "other_required": "勾选了「其他」，请在其后填写具体内容",
    "other_without_choice": "未勾选「其他」，不应填写此项",
    "uscc_length": "应为18位（现为{len}位）",
    "uscc_chars": "含有不允许的字符「{value}」（只允许数字和除 I、O、S、V、Z 外的大写字母）",
    "uscc_authority": "第1位登记管理部门代码「{value}」不存在",
    "uscc_category": "第2位机构类别代码「{value}」与登记管理部门代码不符",
    "uscc_region": "第3—8位应为6位数字的行政区划码",
    "uscc_zero": "不能全为0",
    "uscc_org_checksum": "第9—17位（组织机构代码）的校验位不符，请对照营业执照逐位核对",
    "uscc_checksum": "第18位校验位不符，请对照营业执照逐位核对",
    "uscc_number": "被表格软件存成了数字（末几位可能已丢失），请把该列设为文本格式后重新填写",
    "email": "格式不正确，应为 name@example.com 形式",
    "phone_shape": "格式不正确，只能含数字、空格、连字符和括号，如 0751-6696612 或 13800138000",
    "phone_invalid": "不是有效的中国大陆固定电话或手机号码，固定电话请带区号，如 0751-6696612",
    "date": "应为有效日期，格式 YYYY-MM-DD，如 2026-10-09",
    "not_text": "应为文本",
    "not_list": "应为选项列表",
    "unknown_field": "不是申请书中的字段",
}


def _phone_metadata() -> dict:
    """The mainland-China patterns of libphonenumber, for the browser's phone check."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    return {
        "fixed_line": meta.fixed_line.national_number_pattern,
        "fixed_line_lengths": list(meta.fixed_line.possible_length),
        "mobile": meta.mobile.national_number_pattern,
        "mobile_lengths": list(meta.mobile.possible_length),
    }


def schema() -> dict:
    """The whole form as plain data (what the browser receives as JSON)."""
    return {
        "format": FORMAT_ID,
        "version": FORMAT_VERSION,
        "title": TITLE,
        "fields": [
            {
                "key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
                "multiple": f.multiple, "max_len": f.max_len, "other_key": f.other_key,
                "hint": f.hint, "group": f.group,
                "choices": [{"code": c.code, "label": c.label} for c in f.choices],
            }
            for f in FIELDS
        ],
        "patterns": {
            "control": CONTROL_CHARS, "line": LINE_CHARS, "bidi": BIDI_CHARS,
            "email": EMAIL_PATTERN, "phone_shape": PHONE_SHAPE, "date": DATE_PATTERN,
            "space": textcheck.SPACE_CLASS,
        },
        "invisible_ranges": [list(r) for r in textcheck.INVISIBLE_RANGES],
        "date_years": list(DATE_YEARS),
        "uscc": {"alphabet": USCC_ALPHABET, "categories": USCC_CATEGORIES,
                 "org_weights": list(ORG_CODE_WEIGHTS)},
        "phone": _phone_metadata(),
        "messages": MESSAGES,
    }


def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, sort_keys=True)


def other_fields() -> dict[str, str]:
    """Text key → the choice field it belongs to (``right_other`` → ``right_types``)."""
    return {f.other_key: f.key for f in FIELDS if f.other_key}
