"""The site build: staging, strict MkDocs, post-build checks, atomic replacement."""
from pathlib import Path

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


def test_a_failing_mkdocs_build_leaves_no_unchecked_folder(settings, store, tmp_path, monkeypatch):
    """A build MkDocs aborts half-way (strict warning, crash) never stays next to the site:
    its pages have not been through the checks (the case-data scan among them)."""
    import mkdocs.commands.build
    from mkdocs.exceptions import Abort

    def half_build(config):
        (Path(config["site_dir"]) / "index.html").parent.mkdir(parents=True, exist_ok=True)
        (Path(config["site_dir"]) / "index.html").write_text("unchecked", "utf-8")
        raise Abort("strict: 1 warning")

    monkeypatch.setattr(mkdocs.commands.build, "build", half_build)
    out = tmp_path / "site"
    with pytest.raises(BuildError, match="网站构建失败"):
        build_site(settings, store, out)
    assert not out.exists() and not out.with_name(f".{out.name}.building").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_site(settings, store, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "论文.docx").write_bytes(b"mine")
    with pytest.raises(BuildError, match="不是先前构建的网站"):
        build_site(settings, store, home)
    assert (home / "论文.docx").read_bytes() == b"mine"
    assert not (tmp_path / ".home.building").exists()
