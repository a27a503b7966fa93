"""The shared form vectors in headless Chromium, against site/docs/assets/intake-form.js."""
from __future__ import annotations

import html
import json

from intake_helpers import FORM_JS, VECTORS, dump_dom
from kb.cases import form, formcheck

RUNNER = """<!doctype html><meta charset="utf-8">
<script id="ipw-form-schema" type="application/json">{schema}</script>
<script src="{js}"></script>
<pre id="out"></pre>
<script>
var schema = JSON.parse(document.getElementById("ipw-form-schema").textContent);
var vectors = {vectors};
var results = {{fields: [], applications: []}};
vectors.fields.forEach(function (v) {{
  try {{ results.fields.push({{clean: ipwForm.checkField(schema, v.field, v.value)}}); }}
  catch (e) {{ results.fields.push({{problem: e.code, message: ipwForm.message(schema, e)}}); }}
}});
vectors.applications.forEach(function (v) {{
  var r = ipwForm.checkApplication(schema, v.data), p = {{}};
  Object.keys(r.problems).forEach(function (k) {{ p[k] = r.problems[k].code; }});
  results.applications.push(p);
}});
document.getElementById("out").textContent = JSON.stringify(results);
</script>
"""


def _python_message(vector) -> str:
    try:
        formcheck.check_field(vector["field"], vector["value"])
    except formcheck.Problem as problem:
        return problem.message()
    return ""


def test_vectors_in_chromium(tmp_path):
    vectors = json.loads(VECTORS.read_text("utf-8"))
    page = tmp_path / "runner.html"
    page.write_text(
        RUNNER.format(
            schema=form.schema_json().replace("</", "<\\/"), js=FORM_JS.as_uri(),
            vectors=json.dumps(vectors).replace("</", "<\\/"),  # ASCII: lone surrogates survive
        ),
        encoding="utf-8",
    )
    dom = dump_dom(page, tmp_path / "profile")
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    results = json.loads(html.unescape(dom[start:dom.index("</pre>", start)]))
    mismatches = []
    for vector, got in zip(vectors["fields"], results["fields"], strict=True):
        want = {"problem": vector["problem"]} if "problem" in vector else {"clean": vector["clean"]}
        if {k: got.get(k) for k in want} != want:
            mismatches.append((vector["field"], vector["value"], got))
        if "problem" in vector and got.get("message") != _python_message(vector):
            mismatches.append((vector["field"], vector["value"], got["message"]))
    for vector, got in zip(vectors["applications"], results["applications"], strict=True):
        if got != vector["problems"]:
            mismatches.append((vector["name"], got))
    assert mismatches == []
