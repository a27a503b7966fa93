"""One crawl per kind of source, with the real URLs of the registry, through the loopback
mirror: a feed, a JSON API (with items followed), a listing, a guidance site, and the
law.go.kr special case (the law text is in the page its frame loads)."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from crawl_harness import fetch_log, snapshot_texts
from crawlers.mirror import MirrorServer, mirror_path
from crawlers.registry import load_registry
from crawlers.run import run_crawl
from kb.core.settings import load_settings

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>IPO</title>
<entry><title>Changes to patent fees</title><updated>2026-10-01T09:00:00Z</updated>
<link href="https://www.gov.uk/government/news/changes-to-patent-fees"/></entry>
<entry><title>Designs consultation</title><updated>2026-09-15T09:00:00Z</updated>
<link href="https://www.gov.uk/government/consultations/designs"/></entry></feed>"""
FEDREG = {"count": 2, "results": [
    {"title": "Setting and Adjusting Patent Fees", "type": "Rule", "abstract": "Fees change.",
     "publication_date": "2026-10-02",
     "html_url": "https://www.federalregister.gov/documents/2026/10/02/2026-1/fees"},
    {"title": "Trademark Rules of Practice", "type": "Proposed Rule", "abstract": None,
     "publication_date": "2026-09-20",
     "html_url": "https://www.federalregister.gov/documents/2026/09/20/2026-2/tm"}]}
KR_FRAME = "<html><body><iframe id='lawService' src='/LSW/lsInfoP.do?lsiSeq=1'></iframe></body></html>"
KR_LAW = ("<html><body><div id='conScroll'>" + "".join(
    f"<p>제{i}조(목적) 이 법은 발명을 보호ㆍ장려하고 그 이용을 도모함으로써 기술의 발전을 촉진한다.</p>"
    for i in range(1, 12)) + "</div></body></html>")
ROBOTS = "User-agent: *\nAllow: /\n"


def write(root: Path, url: str, body: str | bytes, headers: dict | None = None) -> None:
    target = root / mirror_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = body.encode("utf-8") if isinstance(body, str) else body
    target.write_bytes(data)
    if headers:
        target.with_name(target.name + ".headers.json").write_text(json.dumps({"headers": headers}))


def test_each_kind_of_source_is_crawled_from_its_real_urls(tmp_path):
    bundled = {s.id: s for s in load_registry()}
    chosen = ["gb-ipo-news", "us-fr-uspto", "kr-patent-act", "cn-worldip"]
    root = tmp_path / "mirror"
    for source in (bundled[i] for i in chosen):
        write(root, f"https://{source.hosts[0]}/robots.txt", ROBOTS)
    write(root, bundled["gb-ipo-news"].url, ATOM, {"Content-Type": "application/atom+xml"})
    write(root, bundled["us-fr-uspto"].url, json.dumps(FEDREG), {"Content-Type": "application/json"})
    for item in FEDREG["results"]:
        write(root, item["html_url"], f"<html><body><main><h1>{item['title']}</h1><p>"
              + "The Office amends its rules of practice. " * 5 + "</p></main></body></html>")
    write(root, bundled["kr-patent-act"].url, KR_FRAME)
    write(root, "https://www.law.go.kr/LSW/lsInfoP.do?lsiSeq=1", KR_LAW)
    write(root, bundled["cn-worldip"].url, "<html><body><ul>"
          "<li><a href='/guide/us.html'>美国知识产权指南</a></li>"
          "<li><a href='http://other.example/x'>外站</a></li></ul></body></html>")
    write(root, "http://www.worldip.cn/guide/us.html",
          "<html><body><main>" + "美国专利侵权诉讼应对指引。" * 10 + "</main></body></html>")
    registry = tmp_path / "sources"
    registry.mkdir()
    for source in (bundled[i] for i in chosen):
        entry = {k: v for k, v in source.as_dict().items()
                 if k not in ("jurisdiction", "origin") and v not in ("", (), {}, None)}
        entry.update(rights=list(source.rights), verified=False)
        if source.id == "us-fr-uspto":
            entry["options"] = {**source.options, "follow": True}
        (registry / f"{source.id}.yaml").write_text(yaml.safe_dump(
            {"jurisdiction": source.jurisdiction, "sources": [entry]}, allow_unicode=True), "utf-8")
    with MirrorServer([root]) as server:
        settings = load_settings().with_values(crawl={"mirror": server.url, "download_delay": 0.02,
                                                      "confirm_pause": 0.02})
        result = run_crawl(settings, sources=registry, timeout=120)
    assert result.errors == 0 and result.count("problem") == 0, fetch_log()
    texts = snapshot_texts()
    feed = texts[bundled["gb-ipo-news"].url.split("/", 3)[3]]
    assert "Changes to patent fees <https://www.gov.uk/government/news/changes-to-patent-fees>" in feed
    api = next(t for u, t in texts.items() if u.startswith("api/v1/documents.json"))
    assert "2026-10-02 Setting and Adjusting Patent Fees | Rule | Fees change." in api
    assert any(u.startswith("documents/2026/10/02") for u in texts)  # followed items
    assert "제11조(목적)" in texts["LSW/lsInfoP.do?lsiSeq=1"]  # the frame's page, not the frame
    assert "美国知识产权指南 <http://www.worldip.cn/guide/us.html>" in texts[""]
    assert "美国专利侵权诉讼应对指引" in texts["guide/us.html"]
    assert "other.example" not in " ".join(server.requests)
