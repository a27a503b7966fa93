"""Readable redlines: no whitespace-only marks, numbers and dates as whole tokens, plain form."""
from crawlers.compare import redline
from ipwatch.redline import plain_redline, readable_ops, redline_html


def changed(ops):
    return [op for op in ops if op[0] != "="]


def test_a_line_break_moved_is_no_change():
    old = "in sonstiger Weise der\nÖffentlichkeit zugänglich gemacht worden sind"
    new = "in sonstiger Weise\nder Öffentlichkeit zugänglich gemacht worden sind"
    assert changed(readable_ops(redline(old, new))) == []
    assert "[-" not in plain_redline(redline(old, new), full=True)


def test_words_rewrapped_and_one_word_changed_marks_only_that_word():
    old = "durch Benutzung oder in sonstiger\nWeise der Öffentlichkeit"
    new = "durch Benutzung oder in\nsonstigen Weise der Öffentlichkeit"
    assert changed(readable_ops(redline(old, new))) == [["-", "sonstiger"], ["+", "sonstigen"]]


def test_dates_and_numbers_are_whole_tokens():
    old = "Zuletzt geändert durch Art. 14 G v. 24.11.2011 I 2302"
    new = "Zuletzt geändert durch Art. 10 G v. 17.8.2021 I 3490"
    ops = changed(readable_ops(redline(old, new)))
    assert ["-", "14"] in ops and ["+", "10"] in ops
    assert ["-", "24.11.2011"] in ops and ["+", "17.8.2021"] in ops
    assert plain_redline(redline(old, new), full=True) == (
        "Zuletzt geändert durch Art. [-14-]{+10+} G v. [-24.11.2011-]{+17.8.2021+} I [-2302-]{+3490+}")


def test_cjk_numerals_are_whole_tokens():
    ops = changed(readable_ops(redline("千万円以下の罰金", "二千万円以下の罰金", cjk=True), cjk=True))
    assert ops == [["-", "千万"], ["+", "二千万"]]


def test_html_redline_has_no_whitespace_only_marks():
    html = redline_html(redline("a b\nc d", "a b c\nd e"), full=True)
    assert html.count("<ins") == 1 and "<del" not in html
