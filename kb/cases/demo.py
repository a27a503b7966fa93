"""The demo's application (示例数据): imported like an exported web form, moved through
受理 → 对接 → 会商, and its 意见书 drafted from the knowledge base."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from kb.cases import documents as casedocs
from kb.cases import importer as caseimport
from kb.cases import workflow as cases
from kb.core import docxutil
from kb.core.store import Store

DEPARTMENTS = ["amr", "copyright", "industry"]


def sample_application_path() -> Path:
    return Path(str(resources.files("kb.cases").joinpath("sample_application.json")))


def run_case_demo(settings, store: Store, *, actor: str = "演示") -> tuple[str, Path]:
    """Import the sample application, take it to 会商, draft its opinion; (number, DOCX path).
    Only in a demo data folder: the sample case never enters the official record."""
    settings.require_demo("示例申请")
    [result] = caseimport.import_file(store, settings, sample_application_path(), actor=actor,
                                      department=settings["cases"]["default_department"])
    number = result["number"]
    if result["created"]:
        cases.advance(store, settings, number, "accept", actor=actor)
        cases.advance(store, settings, number, "contact", actor=actor)
        cases.advance(store, settings, number, "confer", actor=actor, departments=DEPARTMENTS,
                      note="示例数据：三部门会商")
    doc = casedocs.draft_opinion(settings, store, number)
    path = docxutil.save_atomic(doc, casedocs.document_path(settings, number, "意见书"))
    cases.record_draft(store, number, path, actor=actor)
    return number, path
