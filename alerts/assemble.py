"""Assemble a report's content (a JSON-able dict) from the published cells.

Local figures (本区受理案件) come from the published cells only (None = suppressed, shown as ``*``); narrative sentences name
only figures that are published, so no combination below the threshold is ever written.
"""
from __future__ import annotations

from alerts import risk
from alerts.counts import ALL, DIM_LABELS, DIMS, PUBLIC, categories, category_label, industry_label
from kb.core.periods import Period
from kb.core import choices


def _row(cells: dict, periods: list[str], industry: str, dim: str, cat: str) -> dict:
    values = [cells.get((p, industry, dim, cat)) for p in periods]
    return {"category": cat, "label": category_label(dim, cat), "current": values[0],
            "previous": values[1], "last_year": values[2]}


def change_pct(now: int | None, before: int | None) -> str:
    if now is None or before is None:
        return "—"
    if before == 0:
        return "新增" if now else "持平"
    return f"{(now - before) / before:+.0%}"


def trend_words(now: int, before: int) -> str:
    change = (now - before) / before
    return "持平" if abs(change) < 0.005 else f"{'增长' if change > 0 else '下降'} {abs(change):.0%}"


def _narrative(section: dict, period: Period, threshold: int) -> list[str]:
    total = section["total"]
    name = section["label"]
    lines = []
    if total["current"] is None:
        lines.append(f"{period.label}，{name}涉外知识产权纠纷涉及企业数因数据保护要求不予公布。")
    else:
        who = "本区各领域" if section["industry"] == ALL else f"{name}产业"
        text = f"{period.label}，{who}共有 {total['current']} 家企业涉及海外知识产权纠纷"
        trends = [f"较{what}{trend_words(total['current'], total[key])}"
                  for key, what in (("previous", "上期"), ("last_year", "去年同期"))
                  if total[key] not in (None, 0)]
        lines.append(text + ("，" + "，".join(trends) if trends else "") + "。")
    top = sorted(((r["current"], r["label"]) for r in section["tables"]["country"]
                  if r["current"] and r["current"] >= threshold and r["category"] != "other"), reverse=True)[:3]
    if top:
        lines.append("纠纷主要涉及" + "、".join(f"{label}（{n} 家）" for n, label in top) + "。")
    for key, what in (("npe_share", "面对非专利实施实体（NPE）的企业"), ("major_share", "涉及重大/疑难纠纷的企业")):
        if section[key] == 0:
            lines.append(f"本期没有{what}。")
        elif section[key] is not None:
            lines.append(f"{what}占 {section[key]:.0%}。")
    return lines


def _law_item(change: dict) -> dict:
    return {"jurisdiction": change["jurisdiction"],
            "jurisdiction_label": choices.jurisdiction_label(change["jurisdiction"]),
            "title": change["title"], "date": change["detected_at"][:10], "kind": change["kind"],
            "summary": change["summary"], "url": change["url"],
            "articles": [a["id"] for a in change["articles"]][:20]}


def public_tables(public: dict, periods: list[str], industry: str) -> dict | None:
    """Figures counted from public records (公开纠纷记录): not confidential, published as they
    are, apart from the local figures so that no difference of the two is ever shown."""
    if not any(v for (p, ind, _, _), v in public.items() if ind == industry):
        return None
    return {"total": _row(public, periods, industry, "total", ""),
            "tables": {dim: [_row(public, periods, industry, dim, c) for c in categories(dim, PUBLIC)]
                       for dim in DIMS}}


PUBLIC_SOURCE_NOTE = "来自已公开的纠纷信息（如美国 337 调查公告），不是本区受理的案件，未计入本区数据"


def public_narrative(public: dict | None, period: Period, industry: str) -> list[str]:
    """Sentences on public records: never "本区", always said to be public records."""
    if not public:
        return []
    total = public["total"]
    scope = "各领域" if industry == ALL else f"{industry_label(industry)}领域"
    text = (f"公开纠纷记录（{PUBLIC_SOURCE_NOTE}）显示，{period.label}{scope}涉及中国企业 "
            f"{total['current'] or 0} 家")
    trends = [f"较{what}{trend_words(total['current'] or 0, total[key])}"
              for key, what in (("previous", "上期"), ("last_year", "去年同期")) if total[key]]
    lines = [text + ("，" + "，".join(trends) if trends else "") + "。"]
    top = sorted(((r["current"], r["label"]) for r in public["tables"]["country"]
                  if r["current"] and r["category"] != "other"), reverse=True)[:3]
    if top:
        lines.append("这些公开记录涉及的国家/地区主要为" + "、".join(f"{label}（{n} 家）" for n, label in top) + "。")
    return lines


def section(cells: dict, period: Period, industry: str, changes: list[dict], threshold: int,
            public: dict | None = None) -> dict:
    periods = [period.code, period.previous().code, period.same_last_year().code]
    tables = {dim: [_row(cells, periods, industry, dim, c) for c in categories(dim)] for dim in DIMS}
    countries = risk.published_countries(cells, period, industry)
    laws = risk.changes_for(changes, industry, countries)
    scores = risk.scores(cells, period, [industry], changes)
    out = {
        "industry": industry,
        "label": industry_label(industry),
        "title": risk.industry_title(industry),
        "total": _row(cells, periods, industry, "total", ""),
        "tables": tables,
        "public": public_tables(public or {}, periods, industry),
        "npe_share": risk.share(cells, period.code, industry, "counterparty", "npe"),
        "major_share": risk.share(cells, period.code, industry, "level", "major"),
        "scores": [s.as_dict() for s in scores],
        "laws": [_law_item(c) for c in laws],
        "recommendations": [{"id": r.id, "title": r.title, "text": r.text,
                             "source_label": r.source_label, "source_url": r.source_url}
                            for r in risk.recommend(cells, period, industry, scores, laws, threshold)],
    }
    out["narrative"] = _narrative(out, period, threshold)
    if out["public"]:
        out["public"]["narrative"] = public_narrative(out["public"], period, industry)
    return out


def assemble(cells: dict, period: Period, industry: str, changes: list[dict], threshold: int,
             is_sample: bool, built_at: str, public: dict | None = None) -> dict:
    """The report's content; ``cells``: the local figures as published (None = ``*``);
    ``public``: the figures of public records (published as they are)."""
    industries = risk.report_industries(industry)
    sections = [section(cells, period, ind, changes, threshold, public) for ind in industries]
    first = sections[0]
    summary = " ".join(first["narrative"][:2])
    return {
        "period": period.code, "period_label": period.label, "kind": period.kind,
        "industry": industry, "industry_label": industry_label(industry),
        "title": f"{period.label}{risk.industry_title(industry)}海外知识产权风险预警报告",
        "is_sample": is_sample, "built_at": built_at, "threshold": threshold,
        "periods": {"current": period.label, "previous": period.previous().label,
                    "last_year": period.same_last_year().label},
        "dim_labels": DIM_LABELS,
        "sections": sections, "summary": summary,
        "all_industries": industry == ALL,
    }
