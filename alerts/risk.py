"""Indicators, the risk score per industry × country, the law changes that concern an industry,
and recommendations chosen by pattern.

Everything here reads only what the report *publishes* (cells after suppression) and public
law-change records, so no score, reason or sentence can give back a suppressed cell.

**Risk score** (0–100) of an industry in a country, for the report period::

    score = 35·V + 20·T + 15·N + 15·M + 15·L
    V = n / n_max                      n = enterprises of the industry with disputes in the country,
                                       n_max = the largest published n of the industry in the period
    T = min(1, max(0, growth))         growth of n against the previous period or, if larger,
                                       the same period last year (1 when it appears from 0)
    N = NPE share of the industry      enterprises facing an NPE / all enterprises of the industry
    M = 重大/疑难 share of the industry
    L = min(1, k / 3)                  k = the period's law changes of the country (and of the EU
                                       for DE/FR) concerning the industry's rights (INDUSTRY_RIGHTS)

A term whose inputs are suppressed counts 0 and is not given as a reason. Levels: ≥ 60 高,
35–59 中, < 35 低. Only countries whose count is published get a score.

**Industry → rights** (which law changes concern an industry): ``INDUSTRY_RIGHTS`` below; changes
about customs protection and procedure concern every industry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from alerts.counts import ALL, KEY_INDUSTRIES, industry_label
from kb.core.periods import Period
from kb.core import choices
from kb.core.store import Store

INDUSTRY_RIGHTS = {
    "mechanical": {"patent", "utility_model", "design", "trademark"},
    "electrical": {"patent", "utility_model", "ic_layout", "trademark"},
    "communication": {"patent", "ic_layout", "copyright", "trademark", "trade_secret"},
    "chemical": {"patent", "trademark", "trade_secret"},
    "optoelectronic": {"patent", "utility_model", "ic_layout", "design"},
    "biomedical": {"patent", "trademark", "trade_secret", "geographical_indication"},
}
COMMON_RIGHTS = {"customs", "procedure"}
EU_MEMBERS = {"DE", "FR"}
FORM_COUNTRIES = [c for c in choices.codes(choices.COUNTRIES) if c != "other"]
WEIGHTS = {"V": 35, "T": 20, "N": 15, "M": 15, "L": 15}


def rights_of(industry: str) -> set[str]:
    if industry == ALL:
        return set(choices.codes(choices.LAW_RIGHTS))
    return INDUSTRY_RIGHTS[industry] | COMMON_RIGHTS


def period_changes(store: Store, period: Period) -> list[dict]:
    """The law changes detected in the period, with their source's jurisdiction and rights."""
    rows = store.conn.execute(
        "SELECT c.id, c.url, c.detected_at, c.kind, c.articles, c.summary, s.jurisdiction,"
        " s.title, s.rights FROM changes c JOIN sources s ON s.id = c.source_id"
        " WHERE c.detected_at >= ? AND c.detected_at < ? ORDER BY c.detected_at, c.id",
        (period.start.isoformat(), period.end.isoformat()),
    ).fetchall()
    out = []
    for row in rows:
        item = dict(row)
        item["rights"] = set(json.loads(row["rights"] or "[]"))
        item["articles"] = json.loads(row["articles"] or "[]")
        out.append(item)
    return out


def changes_for(changes: list[dict], industry: str, countries: set[str]) -> list[dict]:
    """Changes concerning the industry's rights in one of ``countries`` (+ EU, WIPO)."""
    places = set(countries) | {"WIPO"} | ({"EU"} if countries & EU_MEMBERS else set())
    wanted = rights_of(industry)
    return [c for c in changes if c["jurisdiction"] in places and (c["rights"] & wanted or not c["rights"])]


@dataclass
class Score:
    industry: str
    country: str
    score: int
    level: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"industry": self.industry, "country": self.country, "score": self.score,
                "level": self.level, "reasons": self.reasons}


def _growth(now: int, before: int | None) -> float | None:
    if before is None:
        return None
    if before == 0:
        return 1.0 if now > 0 else 0.0
    return (now - before) / before


def share(cells: dict, period: str, industry: str, dim: str, cat: str) -> float | None:
    part, total = cells.get((period, industry, dim, cat)), cells.get((period, industry, "total", ""))
    if part is None or not total:
        return None
    return part / total


def score_country(cells: dict, period: Period, industry: str, country: str, law_count: int,
                  n_max: int) -> Score | None:
    p, prev, last = period.code, period.previous().code, period.same_last_year().code
    n = cells.get((p, industry, "country", country))
    if not n:
        return None
    reasons = [f"本期涉及企业 {n} 家"]
    v = n / max(n_max, n)
    growths = [(g, what) for g, what in (
        (_growth(n, cells.get((prev, industry, "country", country))), "较上期"),
        (_growth(n, cells.get((last, industry, "country", country))), "较去年同期"),
    ) if g is not None]
    t = 0.0
    if growths:
        g, what = max(growths)
        t = min(1.0, max(0.0, g))
        if g > 0:
            reasons.append(f"{what}增长 {g:.0%}")
    npe = share(cells, p, industry, "counterparty", "npe") or 0.0
    major = share(cells, p, industry, "level", "major") or 0.0
    if npe:
        reasons.append(f"本行业 NPE 纠纷企业占比 {npe:.0%}")
    if major:
        reasons.append(f"本行业重大/疑难纠纷企业占比 {major:.0%}")
    if law_count:
        reasons.append(f"本期相关法律修改 {law_count} 项")
    parts = {"V": v, "T": t, "N": npe, "M": major, "L": min(1.0, law_count / 3)}
    value = round(sum(WEIGHTS[k] * parts[k] for k in WEIGHTS))
    level = "高" if value >= 60 else "中" if value >= 35 else "低"
    return Score(industry, country, value, level, reasons)


def scores(cells: dict, period: Period, industries: list[str], changes: list[dict]) -> list[Score]:
    out = []
    for industry in industries:
        n_max = max((cells.get((period.code, industry, "country", c)) or 0 for c in FORM_COUNTRIES), default=0)
        for country in FORM_COUNTRIES:
            laws = len(changes_for(changes, industry, {country}))
            found = score_country(cells, period, industry, country, laws, n_max)
            if found:
                out.append(found)
    return sorted(out, key=lambda s: (-s.score, s.industry, s.country))


def published_countries(cells: dict, period: Period, industry: str) -> set[str]:
    codes = {period.code, period.previous().code, period.same_last_year().code}
    return {k[3] for k, v in cells.items()
            if k[0] in codes and k[1] == industry and k[2] == "country" and v and k[3] != "other"}


# --- recommendations -------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    text: str
    source_label: str = ""  # the official page a fact in the text rests on
    source_url: str = ""


RULES = {
    "us_npe": Rule("us_npe", "防范美国NPE专利诉讼",
        "出口美国的产品应在上市前开展专利自由实施（FTO）检索分析，保留研发记录；收到律师函或起诉状后，"
        "及时比对涉案专利与产品，评估专利有效性，可考虑向美国专利商标局申请多方复审（IPR）等无效程序，"
        "综合比较应诉与和解成本，切勿置之不理。",
        "美国专利商标局：多方复审", "https://www.uspto.gov/patents/ptab/trials/inter-partes-review"),
    "us_337": Rule("us_337", "关注美国337调查",
        "337调查由美国国际贸易委员会（ITC）负责，可能导致禁止涉案产品进入美国市场的排除令，程序快、答辩期限短。"
        "对美出口企业应提前整理技术资料、设计文档与采购记录，一旦被列为被申请人，应尽早委托律师并评估应诉策略。",
        "美国国际贸易委员会：337调查", "https://www.usitc.gov/intellectual_property/about_section_337.htm"),
    "trade_fair": Rule("trade_fair", "参展前做好知识产权排查",
        "参加境外展会前，对展品、宣传册和展台设计进行知识产权排查，随身携带专利证书、商标注册证、版权登记证书等权属证明；"
        "并事先准备展会期间被投诉、被申请禁令时的应对预案，预先联系当地律师。"),
    "trademark": Rule("trademark", "及早在目标市场注册商标",
        "商标纠纷占比较高。出口前应在目标国家或地区及时申请商标注册（可通过马德里体系一次指定多个国家），"
        "并定期监测抢注，发现后在异议或无效期限内及时提出。",
        "世界知识产权组织：马德里体系", "https://www.wipo.int/madrid/en/"),
    "rising": Rule("rising", "纠纷明显增多，建立应急预案",
        "本行业涉外纠纷企业数明显增长。建议企业建立知识产权纠纷应急预案，明确内部责任人，"
        "出口前对重点产品开展风险排查，并关注本站法律动态与国别指南。"),
    "major": Rule("major", "重大/疑难纠纷及时报告",
        "重大/疑难纠纷占比较高。影响产业发展、数额特别巨大、波及范围较广的纠纷，请及时向区市场监管局报告并申请应对指导，"
        "由区市场监管局协调通报省、市有关部门或国家海外知识产权纠纷应对指导中心。"),
    "laws": Rule("laws", "核对目标市场法律修改",
        "本期目标市场有与本行业相关的知识产权法律修改（见上表），请核对产品、商标与许可安排是否受影响，必要时咨询专业机构。"),
    "baseline": Rule("baseline", "保持常态化风险监测",
        "定期查阅本站国别指南、法律动态和风险预警报告；遇到海外知识产权纠纷，可填写《海外知识产权纠纷应对指导申请书》申请指导。"),
}


def recommend(cells: dict, period: Period, industry: str, industry_scores: list[Score],
              law_changes: list[dict], threshold: int) -> list[Rule]:
    """Rules whose pattern holds in the published figures of this industry."""
    p = period.code
    got = lambda dim, cat: cells.get((p, industry, dim, cat)) or 0  # noqa: E731 (None: suppressed)
    us = next((s for s in industry_scores if s.country == "US"), None)
    total = cells.get((p, industry, "total", "")) or 0
    before = [cells.get((q.code, industry, "total", "")) for q in (period.previous(), period.same_last_year())]
    picked = []
    if us and (share(cells, p, industry, "counterparty", "npe") or 0) >= 0.2:
        picked.append("us_npe")
    if got("dispute_type", "trade_investigation") >= threshold and got("country", "US") >= threshold:
        picked.append("us_337")
    if got("dispute_type", "trade_fair") >= threshold:
        picked.append("trade_fair")
    if total and got("right", "trademark") / total >= 0.3:
        picked.append("trademark")
    if total and any(b and (total - b) / b >= 0.3 for b in before):
        picked.append("rising")
    if (share(cells, p, industry, "level", "major") or 0) >= 0.15:
        picked.append("major")
    if law_changes:
        picked.append("laws")
    picked.append("baseline")
    return [RULES[r] for r in picked]


def industry_title(industry: str) -> str:
    return industry_label(industry) + ("（所有领域）" if industry == ALL else "产业")


def report_industries(industry: str | None) -> list[str]:
    return [ALL, *KEY_INDUSTRIES] if industry in (None, ALL) else [industry]
