"""Build the static site: generate pages into a staging folder, then run MkDocs on it.

Pages are produced by the modules listed in ``PAGES`` (``ipwatch.pages.<name>``), each a
``generate(ctx)`` that writes Markdown (and feeds, annexes) through ``ctx``. Nothing generated
is written into ``site/`` or committed, and no MkDocs hook is involved, so the same staging
folder can be handed to another builder (Zensical) unchanged. After the build, every check in
``CHECKS`` runs over the output folder; any failure fails the build.
"""
from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.core.errors import IpwatchError
from kb.core.settings import Settings
from kb.core.store import Store
from kb.core.workdirs import work_dir
from ipwatch.csp import apply_csp, csp_check
from ipwatch.sitesearch import index_site, search_index_check

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MKDOCS_YML = PROJECT_ROOT / "mkdocs.yml"
STATIC_DOCS = PROJECT_ROOT / "site" / "docs"

PAGES = ["home", "intake", "guides", "changes", "reports", "search"]

# What may be published. Anything else in the output fails the build (a leak guard).
PUBLISHED_SUFFIXES = {
    ".html", ".css", ".js", ".json", ".xml", ".svg", ".png", ".ico", ".woff2", ".woff",
    ".xlsx", ".docx", ".txt", ".gz", ".map",
}


class BuildError(IpwatchError):
    pass


@dataclass
class BuildContext:
    settings: Settings
    store: Store
    staging: Path
    out: Path
    nav_children: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # mkdocs `extra`, read by the theme

    def write(self, rel: str, text: str) -> Path:
        target = self._target(rel)
        target.write_text(text, encoding="utf-8")
        return target

    def write_bytes(self, rel: str, data: bytes) -> Path:
        target = self._target(rel)
        target.write_bytes(data)
        return target

    def copy(self, source: Path, rel: str) -> Path:
        target = self._target(rel)
        shutil.copyfile(source, target)
        return target

    def add_nav(self, section: str, title: str, rel: str) -> None:
        """Add ``rel`` under the top-level nav section titled ``section``."""
        self.nav_children.setdefault(section, []).append({title: rel})

    def _target(self, rel: str) -> Path:
        target = (self.staging / rel).resolve()
        if self.staging.resolve() not in target.parents:
            raise BuildError(f"页面路径越界：{rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


Check = Callable[[BuildContext], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a post-build check (it raises BuildError to fail the build)."""
    CHECKS.append(fn)
    return fn


@check
def published_file_types(ctx: BuildContext) -> None:
    bad = sorted(
        str(p.relative_to(ctx.out))
        for p in ctx.out.rglob("*")
        if p.is_file() and p.suffix.lower() not in PUBLISHED_SUFFIXES
    )
    if bad:
        raise BuildError(f"网站输出含不允许发布的文件类型：{', '.join(bad[:10])}")


@check
def site_search_index(ctx: BuildContext) -> None:
    search_index_check(ctx.out)


@check
def feeds_are_xml(ctx: BuildContext) -> None:
    """Every published feed must be well-formed XML (a subscriber's reader rejects the rest)."""
    from ipwatch.atom import check_feed

    for feed in sorted(ctx.out.rglob("*.xml")):
        try:
            check_feed(feed.read_bytes(), str(feed.relative_to(ctx.out)))
        except ValueError as exc:
            raise BuildError(str(exc)) from exc


@check
def content_security_policy(ctx: BuildContext) -> None:
    problem = csp_check(ctx.out)
    if problem:
        raise BuildError(problem)


def _nav(base_nav: list, children: dict[str, list[dict[str, str]]]) -> list:
    nav = []
    for entry in base_nav:
        (title, target), = entry.items()
        extra = children.get(title, [])
        nav.append({title: [target, *extra]} if extra and isinstance(target, str) else entry)
    return nav


def stage(settings: Settings, store: Store, staging: Path, out: Path) -> BuildContext:
    """Write the static pages and every generated page into ``staging``."""
    shutil.copytree(STATIC_DOCS, staging, dirs_exist_ok=True)
    ctx = BuildContext(settings=settings, store=store, staging=staging, out=out)
    for name in PAGES:
        importlib.import_module(f"ipwatch.pages.{name}").generate(ctx)
    return ctx


def _mkdocs_build(staging: Path, building: Path, ctx: BuildContext) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    base_nav = load_config(str(MKDOCS_YML))["nav"]
    try:
        config = load_config(str(MKDOCS_YML), docs_dir=str(staging), site_dir=str(building),
                             strict=True, nav=_nav(base_nav, ctx.nav_children), extra=ctx.extra)
        build(config)
    except (Abort, ConfigurationError) as exc:
        raise BuildError(f"网站构建失败：{exc}") from exc


def _is_site(folder: Path) -> bool:
    """An empty folder, or one that a build made (MkDocs writes both files)."""
    if folder.is_dir() and not any(folder.iterdir()):
        return True
    return (folder / "index.html").is_file() and (folder / "sitemap.xml").is_file()


def build_site(settings: Settings, store: Store, out: Path | None = None) -> Path:
    """Build the site into ``out`` (default: ``<data>/site``) and return the folder."""
    out = Path(out or settings.data_dir / "site").resolve()
    if out == (PROJECT_ROOT / "site").resolve() or out == PROJECT_ROOT:
        raise BuildError(f"输出目录不能是源代码目录：{out}")
    if out.exists() and not _is_site(out):  # it is replaced whole: never a folder of other files
        raise BuildError(f"输出目录 {out} 已存在且不是先前构建的网站，为免删除其中文件，请指定新的或空的目录")
    building = out.with_name(f".{out.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    with work_dir(settings.data_dir, "stage") as tmp:  # under the data folder, see workdirs
        staging = tmp / "docs"
        try:  # a failed build leaves no half-built (and unchecked) folder next to the site
            ctx = stage(settings, store, staging, building)
            _mkdocs_build(staging, building, ctx)
            index_site(building)  # the site search's section index (search/ipw-index.js)
            apply_csp(building)  # after the last step that writes HTML
            for fn in CHECKS:
                fn(ctx)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    # publish only a build that passed every check; the previous site stays until then
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():  # swap by renames: at no point is there no site or half a site at ``out``
        os.replace(out, old)
    os.replace(building, out)
    shutil.rmtree(old, ignore_errors=True)
    return out


# Checks defined in other modules register themselves when imported.
from ipwatch import leakscan  # noqa: E402,F401  (fails the build if case data is published)
