"""Issue 11, Word forms: a filled form is read as the clerk sees it, and no file can make the
reader use unbounded memory. Each case passed (or ran out of memory) on the earlier main."""
from __future__ import annotations

import copy
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from intake_helpers import (  # noqa: F401 (fixtures)
    ROOT, case_settings, case_store, fill_word_form, sample_application,
)
from kb.cases import formdocx, importer as caseimport
from kb.core.errors import ValidationError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PEAK_MB = 200


def _control(doc, tag: str):
    for sdt in doc.element.body.iter(qn("w:sdt")):
        if sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) == tag:
            return sdt
    raise AssertionError(tag)


def _run(text: str, props: str):
    return parse_xml(f'<w:r xmlns:w="{W}"><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>')


def _with_run_in_name(tmp_path: Path, props: str) -> Path:
    path = fill_word_form(sample_application(), tmp_path / "a.docx")
    doc = Document(str(path))
    content = _control(doc, "applicant_name").find(qn("w:sdtContent"))
    content.append(_run("（另一家公司）", props))
    doc.save(str(path))
    return path


@pytest.mark.parametrize("props,reason", [
    ("<w:vanish/>", "隐藏文字"),
    ('<w:vanish w:val="true"/>', "隐藏文字"),
    ("<w:specVanish/>", "隐藏文字"),
    ('<w:color w:val="FFFFFF"/>', "白色文字"),
    ('<w:sz w:val="2"/>', "极小字号"),
])
def test_text_the_clerk_cannot_see_is_refused(case_settings, case_store, tmp_path, props, reason):
    path = _with_run_in_name(tmp_path, props)
    with pytest.raises(ValidationError, match=f"字段「申请人」：含有{reason}"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert case_store.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_hidden_by_character_style_is_refused(tmp_path):
    path = fill_word_form(sample_application(), tmp_path / "a.docx")
    doc = Document(str(path))
    styles = doc.styles.element
    styles.append(parse_xml(f'<w:style xmlns:w="{W}" w:type="character" w:styleId="Quiet">'
                            f'<w:name w:val="Quiet"/><w:rPr><w:vanish/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style xmlns:w="{W}" w:type="character" w:styleId="Quieter">'
                            f'<w:name w:val="Quieter"/><w:basedOn w:val="Quiet"/></w:style>'))
    content = _control(doc, "applicant_name").find(qn("w:sdtContent"))
    content.append(_run("（另一家公司）", '<w:rStyle w:val="Quieter"/>'))
    doc.save(str(path))
    with pytest.raises(ValidationError, match="字段「申请人」：含有隐藏文字"):
        formdocx.read_filled_form(path)


def test_visible_formatting_is_read(tmp_path):
    path = _with_run_in_name(tmp_path, '<w:vanish w:val="0"/><w:color w:val="333333"/><w:sz w:val="24"/>')
    assert formdocx.read_filled_form(path)["applicant_name"].endswith("（另一家公司）")


def test_a_second_control_of_the_same_tag_is_refused(case_settings, case_store, tmp_path):
    path = fill_word_form(sample_application(), tmp_path / "a.docx")
    doc = Document(str(path))
    twin = copy.deepcopy(_control(doc, "applicant_name"))
    for t in twin.iter(qn("w:t")):
        t.text = "另一家公司"
    paragraph = doc.add_paragraph()
    paragraph._p.append(twin)
    doc.save(str(path))
    with pytest.raises(ValidationError, match="字段「申请人」：Word 申请书中有两个同名填写框"):
        caseimport.import_file(case_store, case_settings, path, actor="李四")
    assert case_store.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


# ------------------------------------------------------------ zip bombs ----------------

def _bomb(tmp_path: Path, name: str, element: bytes, count: int) -> Path:
    """A real DOCX whose document.xml holds ``count`` copies of ``element``, streamed to disk."""
    good = fill_word_form(sample_application(), tmp_path / "good.docx")
    path = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info.filename))
                continue
            body = src.read(info.filename)
            head, tail = body.split(b"<w:body>", 1)
            with out.open("word/document.xml", "w") as stream:
                stream.write(head + b"<w:body>")
                block = element * 100_000
                for _ in range(count // 100_000):
                    stream.write(block)
                stream.write(tail)
    return path


def _read_in_subprocess(path: Path) -> tuple[str, float]:
    """(outcome, peak MB) of reading ``path`` in a fresh process. Linux keeps ``ru_maxrss``
    across fork and exec, so a child of a large test worker reports the worker's peak: the
    child's own high-water mark (VmHWM) bounds it then."""
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from kb.cases import importer\n"
        "from kb.core.errors import IpwatchError\n"
        "try:\n"
        "    importer.read_applications(Path(sys.argv[1]))\n"
        "    print('ACCEPTED')\n"
        "except IpwatchError as error:\n"
        "    print('REFUSED', str(error).splitlines()[0])\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
        "print('PEAK', min(int(hwm), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    return lines[0], int(lines[-1].split()[1]) / 1024


def test_25_million_empty_paragraphs_are_refused_in_bounded_memory(tmp_path):
    path = _bomb(tmp_path, "bomb.docx", b"<w:p/>", 25_000_000)
    assert path.stat().st_size < 400_000  # a small file on disk
    outcome, peak = _read_in_subprocess(path)
    assert outcome.startswith("REFUSED") and "压缩炸弹" in outcome
    assert peak < PEAK_MB, f"peak {peak:.0f} MB"


def test_many_runs_within_the_size_limit_are_refused_in_bounded_memory(tmp_path):
    path = _bomb(tmp_path, "runs.docx", b"<w:r/>", 3_000_000)  # 18 MB, 3 million elements
    outcome, peak = _read_in_subprocess(path)
    assert outcome.startswith("REFUSED") and "XML 元素" in outcome
    assert peak < PEAK_MB, f"peak {peak:.0f} MB"


def test_a_file_just_within_the_limits_is_read_in_bounded_memory(tmp_path):
    path = _bomb(tmp_path, "large.docx", b'<w:p><w:r><w:t>x</w:t></w:r></w:p>', 90_000)  # ~360k tags
    outcome, peak = _read_in_subprocess(path)
    assert outcome == "ACCEPTED"
    assert peak < PEAK_MB, f"peak {peak:.0f} MB"
