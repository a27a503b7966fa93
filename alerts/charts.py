"""Charts of a report (PNG, matplotlib, Agg), with Chinese labels readable on a phone.

The CJK font comes from the ``mplfonts`` package (Noto Sans CJK SC, bundled in the wheel), so a
fresh machine with no system CJK font still renders Chinese: the font file is registered with
matplotlib directly (no font-cache rebuild needed). Only published values are drawn.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from alerts.counts import ALL, industry_label  # noqa: E402
from kb.core import choices

FONT_FILE = "NotoSansCJKsc-Regular.otf"
COLORS = ["#9fb3d9", "#c9c9c9", "#1f3c88"]  # last year, previous, current


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib and return its family name."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name


def _figure(height: float = 4.2):
    cjk_font()
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=120)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _save(fig, path: Path, note: str, left: float = 0.2) -> None:
    if note:  # wrapped inside the figure: a long note is never cut at the edge
        fig.text(0.01, 0.01, note, fontsize=8, color="#555555", wrap=True)
    # fixed margins: tight_layout measures every text and costs more than the drawing
    height = fig.get_figheight()
    fig.subplots_adjust(left=left, right=0.95, top=1 - 0.5 / height, bottom=0.75 / height)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)


WITHHELD = "*"
WITHHELD_NOTE = "* 因数据保护不予公布（不是 0）"


def _note(data: dict, unit: str = "单位：家（不同企业数）") -> str:
    """The note under a chart: 示例数据 / 初步数据 first, then the unit and what * means."""
    marks = ("示例数据 · " if data["is_sample"] else "") + (
        f"初步数据（截至 {data.get('data_until', '')}，以正式报告为准） · " if data.get("provisional") else "")
    return marks + f"{unit}；{WITHHELD_NOTE}"


def comparisons(data: dict) -> list[tuple[str, str]]:
    """The periods a chart compares, oldest first: an annual report's previous period is the
    same as last year, so it compares two years, not three columns with one repeated."""
    periods = data["periods"]
    keys = [("last_year", periods["last_year"]), ("previous", periods["previous"]), ("current", periods["current"])]
    return [k for k in keys if k[0] != "previous"] if data.get("kind") == "year" else keys


def country_chart(section: dict, data: dict, path: Path) -> None:
    shown = sorted((r for r in section["tables"]["country"] if r["current"]), key=lambda r: r["current"])
    withheld = [r for r in section["tables"]["country"] if r["current"] is None]
    rows = withheld + shown  # withheld at the bottom, marked, never drawn as a bar of 0
    fig, ax = _figure(max(2.6, 0.42 * len(rows) + 1.6))
    ax.barh([r["label"] for r in rows], [r["current"] or 0 for r in rows], color=COLORS[2])
    for i, r in enumerate(rows):
        ax.text(r["current"] or 0, i, f" {r['current']}" if r["current"] else f" {WITHHELD}（不予公布）",
                va="center", fontsize=10, color="#000000" if r["current"] else "#c0392b")
    ax.set_title(f"{section['label']}：纠纷国家/地区（{data['periods']['current']}）", fontsize=13)
    ax.tick_params(labelsize=11)
    _counts_axis(ax.xaxis, ax.set_xlim)
    if not rows:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "本期无可公布数据", ha="center", va="center", transform=ax.transAxes)
    _save(fig, path, _note(data))


def trend_chart(data: dict, path: Path) -> None:
    sections = data["sections"]
    labels = [s["label"] for s in sections]
    keys = comparisons(data)
    fig, ax = _figure(3.5)  # low enough to stay on the first page of the DOCX, under the summary
    width = 0.8 / len(keys)
    colors = COLORS[-len(keys):]
    for j, (key, name) in enumerate(keys):
        xs = [i + (j - (len(keys) - 1) / 2) * width for i in range(len(sections))]
        values = [s["total"][key] for s in sections]
        ax.bar(xs, [v or 0 for v in values], width, label=name, color=colors[j])
        for x, value in zip(xs, values):
            if value is None:  # withheld: a mark where the bar would stand, never a bar of 0
                ax.text(x, 0, WITHHELD, ha="center", va="bottom", fontsize=12, color="#c0392b")
    ax.set_xticks(range(len(sections)), labels, fontsize=11)
    ax.set_title("涉及海外知识产权纠纷的企业数（各期见图例）", fontsize=12)  # the periods: too long for one title line
    ax.legend(fontsize=9, frameon=False)
    _counts_axis(ax.yaxis, ax.set_ylim)
    _save(fig, path, _note(data), left=0.1)


def _counts_axis(axis, set_lim) -> None:
    """A count of enterprises: whole numbers from 0, never a negative axis (an all-zero period)."""
    axis.set_major_locator(MaxNLocator(integer=True))
    low, high = axis.get_view_interval()
    set_lim(0, max(high, 1))


def risk_chart(data: dict, path: Path) -> None:
    sections = [s for s in data["sections"] if s["industry"] != ALL] or data["sections"]
    scores = sorted((s for sec in sections for s in sec["scores"]), key=lambda s: -s["score"])[:12]
    scores.sort(key=lambda s: s["score"])
    fig, ax = _figure(max(2.6, 0.42 * len(scores) + 1.4))
    names = [f"{industry_label(s['industry'])}·{choices.label(choices.COUNTRIES, s['country'])}" for s in scores]
    colors = ["#c0392b" if s["level"] == "高" else "#e67e22" if s["level"] == "中" else "#7f8c8d" for s in scores]
    ax.barh(names, [s["score"] for s in scores], color=colors)
    ax.set_xlim(0, 100)
    for i, s in enumerate(scores):
        ax.text(s["score"], i, f" {s['score']}（{s['level']}）", va="center", fontsize=10)
    ax.set_title("风险评分（0–100，行业 × 国家/地区）", fontsize=13)
    if not scores:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "本期无可公布数据", ha="center", va="center", transform=ax.transAxes)
    _save(fig, path, _note(data, "评分 0–100，方法与依据见报告说明"), left=0.3)


def draw_all(data: dict, folder: Path) -> list[dict]:
    """Draw every chart of the report into ``folder``; return their file names and titles."""
    out = [{"file": "trend.png", "title": "企业数趋势"}, {"file": "risk.png", "title": "风险评分"}]
    trend_chart(data, folder / "trend.png")
    risk_chart(data, folder / "risk.png")
    for sec in data["sections"]:
        name = f"countries-{sec['industry']}.png"
        country_chart(sec, data, folder / name)
        out.append({"file": name, "title": f"{sec['label']}：国家/地区分布", "industry": sec["industry"]})
    return out
