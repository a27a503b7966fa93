"""kb.guides.search: Chinese sub-words and English stems found, filters, snippets, incremental updates."""
from __future__ import annotations

import pytest

from kb.guides import search
from kb.core.errors import IpwatchError
from kb.guides.search_text import analyze, query_words
from search_helpers import add_change, guides_root, store  # noqa: F401 (fixtures)


@pytest.fixture
def folder(settings, store, guides_root):
    search.refresh(settings, store, guides_root=guides_root)
    return search.index_dir(settings)


def ids(hits):
    return [h["id"] for h in hits]


def test_segmentation_keeps_compound_and_sub_words():
    terms = analyze("专利审查指南 and Patent Infringements")
    assert {"专利审查", "专利", "审查", "指南", "patent", "infringement"} <= set(terms)
    assert "and" not in terms
    assert query_words("专利审查") == ["专利", "审查"]


def test_sub_word_of_a_compound_is_found(folder):
    hits = search.search_index(folder, "审查")
    assert "guide:us/institutions#美国专利商标局" in ids(hits)  # text: 负责专利审查和商标注册
    assert any("【审查】" in h["snippet"] for h in hits)


def test_unspaced_query_ranks_sections_with_every_word_first(folder):
    ranked = search.search_ranked(folder, "专利侵权")
    assert ids(ranked.hits)[0] == "guide:us/practice#被诉专利侵权" and ranked.missing == []
    both = ["专利" in h["title"] + h["body"] and "侵权" in h["title"] + h["body"] for h in
            (dict(h, body=h["snippet"]) for h in ranked.hits)]
    assert both == sorted(both, reverse=True) and both[0]  # partial matches only after


def test_partial_match_names_the_missing_word(folder):
    ranked = search.search_ranked(folder, "专利侵权 乌托邦")
    assert ranked.hits and ranked.missing == ["乌托邦"]
    assert ids(ranked.hits)[0] == "guide:us/practice#被诉专利侵权"


def test_english_stemming(folder):
    hits = search.search_index(folder, "investigations")
    assert ids(hits) == ["guide:us/practice#337调查应诉"]


def test_filters_by_jurisdiction_right_and_part(folder):
    assert {h["jurisdiction"] for h in search.search_index(folder, "专利", jurisdiction="de")} == {"DE"}
    by_part = search.search_index(folder, "临时禁令", part="实务指引")
    assert ids(by_part) == ["guide:de/practice#展会临时禁令的应对"]
    # 发明专利 (a form code) maps to the law right "patent"
    trademark = search.search_index(folder, "注册", right="trademark")
    assert trademark and all("trademark" in h["right"] for h in trademark)
    patent = search.search_index(folder, "美国", right="发明专利")
    assert patent and all("patent" in h["right"] for h in patent)
    assert "guide:us/laws#商标法" not in ids(patent)
    with pytest.raises(IpwatchError, match="right"):
        search.search_index(folder, "专利", right="nonsense")


def test_law_changes_and_reports_are_indexed(settings, store, guides_root):
    assert search.refresh(settings, store, guides_root=guides_root).added == 13
    change_id = add_change(store, "us-lanham", ["§ 1125"], when="2026-05-02T00:00:00+00:00",
                           summary="虚假广告条款修改")
    with store.write() as conn:
        conn.execute(
            "INSERT INTO reports(period, industry, built_at, folder, summary)"
            " VALUES ('2026Q3', '机械', '2026-10-01T00:00:00+00:00', 'r', '机械行业海外纠纷增多')"
        )
    stats = search.refresh(settings, store, guides_root=guides_root)  # new rows: not skipped
    assert (stats.added, stats.unchanged, stats.changed_ids) == (2, 13, (f"change:{change_id}", "report:1"))
    change = search.search_index(search.index_dir(settings), "虚假广告", kind="change")
    assert change[0]["url"] == f"changes/us.html#change-{change_id}"
    assert change[0]["right"] == ["trademark"]
    report = search.search_index(search.index_dir(settings), "机械", part="reports")
    assert report[0]["kind"] == "report" and report[0]["url"] == "reports/2026Q3-mechanical.html"


def test_edit_one_guide_reindexes_only_it(settings, store, guides_root):
    folder = search.index_dir(settings)
    first = search.refresh(settings, store, guides_root=guides_root)
    assert first.added == 13 and first.updated == 0
    assert search.refresh(settings, store, guides_root=guides_root).unchanged == 13
    path = guides_root / "de" / "practice.md"
    path.write_text(path.read_text("utf-8").replace("保护信", "防御书状"), "utf-8")
    second = search.refresh(settings, store, guides_root=guides_root)
    assert second.changed_ids == ("guide:de/practice#展会临时禁令的应对",)
    assert (second.added, second.updated, second.deleted) == (0, 1, 0)
    assert ids(search.search_index(folder, "防御书状")) == ["guide:de/practice#展会临时禁令的应对"]
    assert "guide:de/practice#展会临时禁令的应对" not in ids(search.search_index(folder, "保护信"))
    (guides_root / "us" / "services.md").unlink()
    third = search.refresh(settings, store, guides_root=guides_root)
    assert third.changed_ids == ("guide:us/services#官方机构",) and third.deleted == 1


def test_empty_query_is_a_user_error(folder):
    with pytest.raises(IpwatchError, match="查询词为空"):
        search.search_index(folder, "的，。")


def test_a_failed_update_leaves_the_index_usable(settings, store, guides_root):
    search.refresh(settings, store, guides_root=guides_root)
    folder = search.index_dir(settings)
    doc = next(search.guide_docs(guides_root))
    with pytest.raises(IpwatchError, match="重复"):
        # the first document changed (a writer is open), the second repeats its id
        search.update_index(folder, [search.Doc(**{**doc.__dict__, "body": "改"}), doc])
    (folder / search.MANIFEST).unlink()  # the stored hashes are read back from the index
    stats = search.update_index(folder, search.all_docs(store, guides_root))  # no lock left
    assert (stats.added, stats.updated, stats.deleted, stats.unchanged) == (0, 0, 0, 13)


def test_the_kept_searcher_sees_every_change_to_the_index(tmp_path):
    folder = tmp_path / "ix"
    doc = search.Doc(id="a", kind="guide", jurisdiction="DE", right="patent", part="practice",
                     title="展会", body="展会上的临时禁令", url="guides/de/practice.html#a")
    search.update_index(folder, [doc])
    assert ids(search.search_index(folder, "临时禁令")) == ["a"]
    kept = search.open_searcher(folder)
    assert search.open_searcher(folder) is kept  # unchanged index: the same searcher
    other = search.Doc(**{**doc.__dict__, "id": "b", "body": "海关扣留"})
    search.update_index(folder, [doc, other])  # a commit: a new table of contents
    assert search.open_searcher(folder) is not kept
    assert ids(search.search_index(folder, "海关扣留")) == ["b"]
    search.update_index(folder, [other], full=True)  # rebuilt from nothing at the same path
    assert ids(search.search_index(folder, "临时禁令")) == []
    assert ids(search.search_index(folder, "扣留")) == ["b"]
