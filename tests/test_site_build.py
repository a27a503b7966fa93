"""The site build: staging, strict MkDocs, post-build checks, atomic replacement."""
import pytest

from ipwatch import sitebuild
from ipwatch.sitebuild import BuildError, build_site


def test_build_publishes_only_generated_pages_and_static_ones(settings, store, tmp_path):
    out = build_site(settings, store, tmp_path / "site")
    assert (out / "index.html").is_file() and (out / "about.html").is_file()
    assert (out / "changes" / "index.html").is_file()
    # nothing is written into the source tree
    assert not (sitebuild.PROJECT_ROOT / "site" / "docs" / "index.md").exists()


def test_a_failing_check_keeps_the_previous_site(settings, store, tmp_path, monkeypatch):
    out = build_site(settings, store, tmp_path / "site")
    marker = out / "index.html"
    before = marker.read_text("utf-8")

    def leak(ctx):
        (ctx.out / "secret.sqlite3").write_bytes(b"x")

    monkeypatch.setattr(sitebuild, "CHECKS", [leak, *sitebuild.CHECKS])
    with pytest.raises(BuildError, match="secret.sqlite3"):
        build_site(settings, store, out)
    assert marker.read_text("utf-8") == before
    assert not (out / "secret.sqlite3").exists()
    assert not out.with_name(f".{out.name}.building").exists()


def test_refuses_to_build_into_the_source_tree(settings, store):
    with pytest.raises(BuildError):
        build_site(settings, store, sitebuild.PROJECT_ROOT / "site")
