"""Validate an application against the form of ``kb.cases.form``: the checks a clerk can trust.

``check_application(data)`` returns the cleaned application (text trimmed and NFC-normalised,
phone as E.164, USCC upper-case, choices de-duplicated in the form's order) and the list of
``FieldError`` — each names the field by the form's label and says in Chinese what is wrong.
The browser runs the same checks (``site/docs/assets/intake-form.js`` over the same schema);
``tests/data/form_vectors.json`` is run against both.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import phonenumbers

from kb.cases import form
from kb.core import textcheck
from kb.core.errors import FieldError, ValidationError

_CONTROL = re.compile(form.CONTROL_CHARS)
_LINE = re.compile(form.LINE_CHARS)
_BIDI = re.compile(form.BIDI_CHARS)
_EMAIL = re.compile(form.EMAIL_PATTERN)
_PHONE_SHAPE = re.compile(form.PHONE_SHAPE)
_DATE = re.compile(form.DATE_PATTERN)
_EXCEL_NUMBER = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$")  # 9.14403E+17 as Excel shows it
_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class Problem(Exception):
    """One check failed: ``code`` keys ``form.MESSAGES``; ``params`` fill its blanks."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        return form.MESSAGES[self.code].format(**self.params)


def clean_text(value: str) -> str:
    return textcheck.trim(unicodedata.normalize("NFC", value))


def check_chars(value: str, multiline: bool) -> None:
    if _CONTROL.search(value) or _BIDI.search(value) or (not multiline and _LINE.search(value)):
        raise Problem("bad_chars")
    if textcheck.has_invisible(value):
        raise Problem("invisible_chars")


def uscc_check_char(first17: str) -> str:
    alphabet = form.USCC_ALPHABET
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return alphabet[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """The check character of an organisation code's 8 body characters (GB 11714-1997)."""
    total = sum(int(c, 36) * w for c, w in zip(body, form.ORG_CODE_WEIGHTS))
    return "0123456789X0"[11 - total % 11]


def _looks_like_excel_number(code: str) -> bool:
    """A code Excel read as a number: scientific notation, or 18 digits whose last ones were
    rounded to zeros (15 significant digits)."""
    return bool(_EXCEL_NUMBER.match(code)) or (code.isdigit() and code.endswith("000"))


def check_uscc(value: str) -> str:
    """The 统一社会信用代码 of GB 32100-2015, full match; returns it upper-cased."""
    code = value.upper()
    if _EXCEL_NUMBER.match(code):
        raise Problem("uscc_number")
    if len(code) != 18:
        raise Problem("uscc_length", len=len(code))
    for c in code:
        if c not in form.USCC_ALPHABET:
            raise Problem("uscc_chars", value=c)
    if code == "0" * 18:
        raise Problem("uscc_zero")
    categories = form.USCC_CATEGORIES.get(code[0])
    if categories is None:
        raise Problem("uscc_authority", value=code[0])
    if code[1] not in categories:
        raise Problem("uscc_category", value=code[1])
    if not code[2:8].isdigit():
        raise Problem("uscc_region")
    # Never say which character is expected: a clerk would copy it and "fix" a mistyped code.
    if code[16] != org_code_check_char(code[8:16]) or code[17] != uscc_check_char(code[:17]):
        raise Problem("uscc_number" if _looks_like_excel_number(code) else _checksum_code(code))
    return code


def _checksum_code(code: str) -> str:
    return "uscc_org_checksum" if code[16] != org_code_check_char(code[8:16]) else "uscc_checksum"


def check_phone(value: str) -> str:
    """A mainland-China landline (with area code) or mobile; returns E.164."""
    if not _PHONE_SHAPE.match(value):
        raise Problem("phone_shape")
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise Problem("phone_invalid") from None
    ok = (
        phonenumbers.region_code_for_number(number) == "CN"
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in _PHONE_TYPES
        and not number.extension
    )
    # Dialling prefixes (17951 …) are stripped by libphonenumber; the browser does not: refuse.
    if not ok or _national_digits(value) != str(number.national_number):
        raise Problem("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _national_digits(value: str) -> str:
    """The digits after +86 / 0086 and one trunk 0 (what intake-form.js matches)."""
    digits = re.sub(r"[ ()\-]", "", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    return digits[1:] if digits.startswith("0") else digits


def check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise Problem("email")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_date(value: str) -> str:
    match = _DATE.fullmatch(value)
    if not match:
        raise Problem("date")
    year, month, day = (int(g) for g in match.groups())
    low, high = form.DATE_YEARS
    try:
        date(year, month, day)
    except ValueError:
        raise Problem("date") from None
    if not low <= year <= high:
        raise Problem("date")
    return value


_VALUE_CHECKS = {"uscc": check_uscc, "phone": check_phone, "email": check_email, "date": check_date}


def _check_text(f: form.Field, raw: Any) -> str:
    if not isinstance(raw, str):
        is_number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        raise Problem("uscc_number" if is_number and f.kind == "uscc" else "not_text")
    if textcheck.has_lone_surrogate(raw):
        raise Problem("bad_unicode")
    value = clean_text(raw)
    check_chars(value, multiline=f.kind == "textarea")
    if f.max_len and len(value) > f.max_len:
        raise Problem("too_long", max=f.max_len, len=len(value))
    if value and f.kind in _VALUE_CHECKS:
        value = _VALUE_CHECKS[f.kind](value)
    return value


def _check_choices(f: form.Field, raw: Any) -> list[str] | str:
    values = [raw] if isinstance(raw, str) and raw else raw or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Problem("not_list")
    order = [c.code for c in f.choices]
    for value in values:
        if value not in order:
            raise Problem("unknown_choice", value=value)
    picked = [code for code in order if code in values]
    if not f.multiple:
        if len(picked) > 1:
            raise Problem("one_choice")
        return picked[0] if picked else ""
    return picked


def _check_field(f: form.Field, raw: Any) -> Any:
    if f.kind in ("choice", "choices"):
        value = _check_choices(f, raw)
        if f.required and not value:
            raise Problem("required_choice")
        return value
    value = _check_text(f, "" if raw is None else raw)
    if f.required and not value:
        raise Problem("required")
    return value


def check_field(key: str, raw: Any) -> Any:
    """Check one field alone (raises Problem); the other-text rule needs the whole form."""
    return _check_field(form.BY_KEY[key], raw)


def _other_problem(chosen: Any, text: str) -> Problem | None:
    ticked = "other" in chosen if isinstance(chosen, list) else chosen == "other"
    if ticked and not text:
        return Problem("other_required")
    if text and not ticked:
        return Problem("other_without_choice")
    return None


def check_problems(data: dict) -> tuple[dict, dict[str, Problem]]:
    """Check every field; return (cleaned application, field key → problem)."""
    clean: dict[str, Any] = {}
    problems: dict[str, Problem] = {}
    for key in data:
        if key not in form.BY_KEY:
            problems[key] = Problem("unknown_field")
    for f in form.FIELDS:
        try:
            clean[f.key] = _check_field(f, data.get(f.key))
        except Problem as problem:
            problems[f.key] = problem
            clean[f.key] = None
    for text_key, choice_key in form.other_fields().items():
        if text_key in problems or choice_key in problems:
            continue
        problem = _other_problem(clean[choice_key], clean[text_key])
        if problem:
            problems[text_key] = problem
    return clean, problems


def check_application(data: dict, row: int | None = None) -> tuple[dict, list[FieldError]]:
    """Check every field; return (cleaned application, errors in the form's order)."""
    clean, problems = check_problems(data)
    order = {key: i for i, key in enumerate(form.BY_KEY)}
    keys = sorted(problems, key=lambda k: order.get(k, -1))
    errors = [FieldError(_label(k), problems[k].message(), row=row) for k in keys]
    return clean, errors


def _label(key: str) -> str:
    f = form.BY_KEY.get(key)
    return f.label if f else key


def validate_application(data: dict, row: int | None = None) -> dict:
    """The cleaned application, or ValidationError listing every field that is wrong."""
    clean, errors = check_application(data, row=row)
    if errors:
        raise ValidationError(errors, title="申请书校验未通过")
    return clean
