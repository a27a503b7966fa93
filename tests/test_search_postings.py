"""kb.guides.postings: block reads give what whoosh's public per-document API gives, also over
several segments with deleted documents."""
from __future__ import annotations

from kb.guides import postings, search
from search_helpers import guides_root  # noqa: F401 (fixture)


def test_block_reads_match_the_public_api(tmp_path, guides_root):
    folder = tmp_path / "ix"
    docs = list(search.guide_docs(guides_root))
    search.update_index(folder, docs)
    # a second segment, and a deleted document in the first
    search.update_index(folder, docs[:-1] + [search.Doc(**{**docs[-1].__dict__, "body": "专利 商标 新增"})])
    ix = search.open_index(folder)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == 2 and reader.has_deletions()
        before = dict(postings.BLOCK_READS)
        terms = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("body")]
        for term in terms:
            expected = dict(reader.postings("body", term).items_as("weight"))
            assert postings.postings(reader, "body", term) == expected, term
            ids, weights = postings.posting_lists(reader, "body", term)
            assert ids == sorted(expected) and weights == [expected[i] for i in ids], term
        assert postings.BLOCK_READS["postings"] > before["postings"]
        lengths = postings.field_lengths(reader, "body")
        live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
        assert [lengths[d] for d in live] == [reader.doc_field_length(d, "body") for d in live]
