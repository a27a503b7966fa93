"""Report pages on the site: page with charts and downloads, archive, Atom feeds, and the
disclosure audit that fails the build when a published file shows a suppressed cell."""
import json
from xml.etree import ElementTree as ET

import pytest

from alerts.report import build_report
from alerts.sample import load_sample
from ipwatch.sitebuild import BuildError, build_site
from kb.core.settings import DEMO_MARKER

ATOM = "{http://www.w3.org/2005/Atom}"


def test_site_publishes_report_archive_and_feeds_and_audits_disclosure(settings, store, tmp_path):
    (settings.data_dir / DEMO_MARKER).write_text("demo", encoding="utf-8")  # a demo folder publishes samples
    load_sample(store, 1500)
    report = build_report(settings, store, "2026Q3", industry="光电", sample=True)
    out = build_site(settings, store, tmp_path / "site")

    page = (out / "reports" / "2026Q3-optoelectronic-sample.html").read_text("utf-8")
    assert "示例数据" in page
    assert 'src="2026Q3-optoelectronic-sample/charts/countries-optoelectronic.png"' in page
    assert 'href="2026Q3-optoelectronic-sample/annex.xlsx"' in page
    for name in ("annex.xlsx", "report.docx", "charts/trend.png", "charts/risk.png"):
        assert (out / "reports" / "2026Q3-optoelectronic-sample" / name).is_file()
    archive = (out / "reports" / "index.html").read_text("utf-8")
    assert "2026Q3-optoelectronic-sample.html" in archive and "feeds/optoelectronic.xml" in archive

    feed = ET.parse(out / "reports" / "feeds" / "optoelectronic.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.startswith("【示例数据】")
    assert entry.find(f"{ATOM}link").get("href") == "../2026Q3-optoelectronic-sample.html"
    assert ET.parse(out / "reports" / "feeds" / "chemical.xml").getroot().find(f"{ATOM}entry") is None

    # a file that shows what the store says was suppressed must stop the build
    path = report.folder / "report.json"
    data = json.loads(path.read_text("utf-8"))
    row = next(r for r in data["sections"][0]["tables"]["country"] if r["current"] is None)
    row["current"] = 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BuildError, match="披露控制"):
        build_site(settings, store, tmp_path / "site2")
    assert not (tmp_path / "site2").exists()
