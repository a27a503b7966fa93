"""The shared form vectors against the Python validator (the browser runs them too:
tests/test_intake_browser.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.cases import form, formcheck
from kb.core.errors import ValidationError

VECTORS = json.loads((Path(__file__).parent / "data" / "form_vectors.json").read_text("utf-8"))


@pytest.mark.parametrize("vector", VECTORS["fields"], ids=lambda v: f"{v['field']}:{v['value']!r}"[:60])
def test_field_vector(vector):
    if "problem" in vector:
        with pytest.raises(formcheck.Problem) as caught:
            formcheck.check_field(vector["field"], vector["value"])
        assert caught.value.code == vector["problem"]
        assert caught.value.message()  # every code has a Chinese message
    else:
        assert formcheck.check_field(vector["field"], vector["value"]) == vector["clean"]


@pytest.mark.parametrize("vector", VECTORS["applications"], ids=lambda v: v["name"])
def test_application_vector(vector):
    _, problems = formcheck.check_problems(vector["data"])
    assert {k: p.code for k, p in problems.items()} == vector["problems"]


def test_errors_name_the_field_in_chinese():
    data = dict(VECTORS["applications"][0]["data"], uscc="91350100M000100Y44", contact_phone="123456")
    with pytest.raises(ValidationError) as caught:
        formcheck.validate_application(data, row=3)
    text = str(caught.value)
    assert "第3行，字段「统一社会信用代码」：第18位校验位不符" in text
    assert "应为" not in text  # the expected character is never revealed
    assert "字段「联系电话」" in text
    assert len(caught.value.errors) == 2


def test_vectors_cover_every_message_and_field():
    seen = {v["problem"] for v in VECTORS["fields"] if "problem" in v}
    for app in VECTORS["applications"]:
        seen |= set(app["problems"].values())
    assert seen == set(form.MESSAGES)
    valid = VECTORS["applications"][0]["data"]
    assert set(valid) == set(form.BY_KEY)


def test_uscc_check_character_of_published_codes():
    # Codes printed on public business licences; weights 3^i mod 31 (GB 32100-2015).
    for code in ("91350100M000100Y43", "914403001922038216", "91440300708461136T"):
        assert formcheck.uscc_check_char(code[:17]) == code[17]
