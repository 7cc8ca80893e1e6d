"""The review report: Markdown and HTML a manager can forward, charts embedded as SVG.

No network and no plotting package: the charts are small hand-written SVGs (inline in the HTML,
``data:image/svg+xml;base64`` images in the Markdown).
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
_W, _H, _L, _R, _T, _B = 860, 260, 60, 150, 30, 40


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return [float(v) for v in np.arange(math.ceil(lo / step) * step, hi + step / 2, step)
            if v <= hi]


def _frame(title: str, y_lo: float, y_hi: float, fmt: str) -> tuple[list[str], callable]:
    plot_h = _H - _T - _B

    def y(v: float) -> float:
        return _T + plot_h * (1 - (v - y_lo) / (y_hi - y_lo if y_hi > y_lo else 1))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
             f'viewBox="0 0 {_W} {_H}" font-family="sans-serif" font-size="11">',
             f'<text x="{_L}" y="16" font-size="13" font-weight="bold">{_esc(title)}</text>']
    for t in _ticks(y_lo, y_hi):
        parts.append(f'<line x1="{_L}" x2="{_W - _R}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{_L - 4}" y="{y(t) + 4:.1f}" text-anchor="end">'
                     f'{format(t, fmt)}</text>')
    return parts, y


def _legend(parts: list[str], names: Sequence[str]) -> None:
    for i, name in enumerate(names):
        yy = _T + 14 * i
        parts.append(f'<rect x="{_W - _R + 10}" y="{yy}" width="10" height="10" '
                     f'fill="{COLORS[i % len(COLORS)]}"/>')
        parts.append(f'<text x="{_W - _R + 24}" y="{yy + 9}">{_esc(name)}</text>')


def line_chart(x: pd.Series, series: dict[str, Sequence[float]], title: str,
               fmt: str = ",.0f", y_min: float | None = None) -> str:
    """A line chart of ``series`` over the timestamps ``x`` (date labels at midnights)."""
    stamps = pd.to_datetime(pd.Series(x)).reset_index(drop=True)
    values = [np.asarray(v, dtype=float) for v in series.values()]
    finite = np.concatenate([v[np.isfinite(v)] for v in values] + [np.array([0.0])])
    lo = float(finite.min()) if y_min is None else y_min
    hi = float(finite.max()) * 1.05 if finite.size else 1.0
    parts, y = _frame(title, lo, hi if hi > lo else lo + 1, fmt)
    n = max(len(stamps) - 1, 1)

    def xp(i: int) -> float:
        return _L + (_W - _L - _R) * i / n

    midnights = np.flatnonzero((stamps.dt.hour == 0) & (stamps.dt.minute == 0))
    every = max(1, math.ceil(len(midnights) / 14))
    for i in midnights[::every]:
        parts.append(f'<text x="{xp(i):.1f}" y="{_H - _B + 16}" text-anchor="middle">'
                     f'{stamps[i]:%m-%d}</text>')
    for k, v in enumerate(values):
        points, paths = [], []
        for i, val in enumerate(v):
            if np.isfinite(val):
                points.append(f"{xp(i):.1f},{y(val):.1f}")
            elif points:
                paths.append(points)
                points = []
        paths.append(points)
        for pts in paths:
            if pts:
                parts.append(f'<polyline fill="none" stroke="{COLORS[k % len(COLORS)]}" '
                             f'stroke-width="1.3" points="{" ".join(pts)}"/>')
    _legend(parts, list(series))
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(categories: Sequence[str], series: dict[str, Sequence[float]],
                 title: str) -> str:
    """Stacked bars of non-negative ``series`` per category (negative values drawn as 0)."""
    values = np.clip(np.array([np.asarray(v, dtype=float) for v in series.values()]), 0, None)
    values = np.nan_to_num(values)
    hi = float(values.sum(axis=0).max()) * 1.05 if values.size else 1.0
    parts, y = _frame(title, 0.0, hi if hi > 0 else 1.0, ",.0f")
    n = max(len(categories), 1)
    width = (_W - _L - _R) / n
    for j, cat in enumerate(categories):
        base = 0.0
        x0 = _L + width * j + width * 0.15
        for k in range(values.shape[0]):
            top = base + values[k, j]
            parts.append(f'<rect x="{x0:.1f}" y="{y(top):.1f}" width="{width * 0.7:.1f}" '
                         f'height="{y(base) - y(top):.1f}" fill="{COLORS[k % len(COLORS)]}"/>')
            base = top
        parts.append(f'<text x="{x0 + width * 0.35:.1f}" y="{_H - _B + 16}" '
                     f'text-anchor="middle">{_esc(cat)}</text>')
    _legend(parts, list(series))
    parts.append("</svg>")
    return "".join(parts)


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return ""
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    return "" if value is None else str(value)


def md_table(frame: pd.DataFrame) -> str:
    """A Markdown table (``|`` in cells escaped)."""
    if frame.empty:
        return "_none_\n"
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell(v).replace("|", "\\|").replace("\n", " ") for v in row)
            + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows]) + "\n"


def html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{_esc(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(sections: list[tuple[str, str, object]], title: str) -> tuple[str, str]:
    """Markdown and HTML of ``sections``: (heading, intro text, content) with content a frame,
    an SVG string (starts with ``<svg``) or a list of either."""
    md = [f"# {title}\n"]
    body = [f"<h1>{_esc(title)}</h1>"]
    for heading, intro, content in sections:
        md.append(f"## {heading}\n")
        body.append(f"<h2>{_esc(heading)}</h2>")
        if intro:
            md.append(intro + "\n")
            body.append("".join(f"<p>{_esc(p)}</p>" for p in intro.split("\n\n")))
        items = content if isinstance(content, list) else [content]
        for item in items:
            if isinstance(item, pd.DataFrame):
                md.append(md_table(item))
                body.append(html_table(item))
            elif isinstance(item, str) and item.startswith("<svg"):
                data = base64.b64encode(item.encode("utf-8")).decode("ascii")
                md.append(f"![{heading}](data:image/svg+xml;base64,{data})\n")
                body.append(f'<div class="chart">{item}</div>')
            elif isinstance(item, str) and item:
                md.append(item + "\n")
                body.append(f"<p>{_esc(item)}</p>")
    style = ("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:12px;margin:0.5em 0}"
             "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
             "th{background:#f3f3f3}h2{border-bottom:1px solid #ccc;margin-top:1.6em}")
    page = ('<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
            f"<title>{_esc(title)}</title><style>{style}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
    return "\n".join(md), page


# ------------------------------------------------------------------------- the review report


def _pct(value: object) -> str:
    return "n/a" if not isinstance(value, int | float) or not math.isfinite(value) else (
        f"{value * 100:.1f} %")


def _summary_text(review: dict) -> str:
    t, h = review["totals"], review["horizon"]
    lines = [
        f"Horizon {h['start'][:16]} – {h['end'][:16]} ({h['interval_minutes']}-minute intervals); "
        f"review date {review['event']['review_date']}.",
        f"Volume: {t['actual_volume']:,.0f} inquiries actual vs {t['forecast_volume']:,.0f} "
        f"forecast (WAPE {_pct(t['wape'])}, bias {_pct(t['bias'])}).",
        f"3-minute response rate 三分钟响应率: {_pct(t['three_min_rate'])} actual, "
        f"{_pct(t['predicted_three_min_rate'])} predicted by the plan, target "
        f"{_pct(t['target_three_min_rate'])}.",
        f"Lost inquiries (answered after 3 min or abandoned): {t['lost_inquiries']:,.0f}, worth "
        f"{t['lost_cny']:,.0f} CNY at {t['value_per_answered_inquiry_cny']:.2f} CNY each.",
    ]
    if h["missing_intervals"]:
        lines.append(f"Missing intervals in the actuals (not read as zero): "
                     f"{len(h['missing_intervals'])}.")
    slots = review["worst_slots"]
    if slots:
        lines.append("Worst time slots: " + "; ".join(
            f"{s['label']} ({_pct(s['three_min_rate'])}, {s['lost_inquiries']:,.0f} lost)"
            for s in slots) + ".")
    if review["worst_question_types"]:
        top = review["worst_question_types"][0]
        lines.append(f"Largest response-time miss: {top['question_type']} "
                     f"(+{top['response_miss_s']:.0f} s vs ordinary days).")
    if review["slowest_agents"]:
        lines.append("Slowest agents: " + ", ".join(
            a["agent_id"] if a["name"] in ("", a["agent_id"]) else f"{a['agent_id']} {a['name']}"
            for a in review["slowest_agents"]) + ".")
    return "\n\n".join(lines)


def _daily_causes(table: pd.DataFrame) -> tuple[list[str], dict[str, np.ndarray]]:
    from scenarios.review.breakdowns import CAUSES, lost_by_cause

    lost = lost_by_cause(table)
    day = table["timestamp"].dt.strftime("%m-%d")
    daily = lost.groupby(day.to_numpy()).sum()
    return list(daily.index), {c: daily[f"lost_{c}"].to_numpy() for c in CAUSES}


def build_report(review: dict, tables: dict[str, pd.DataFrame],
                 extras: dict) -> tuple[str, str]:
    """Markdown and HTML of a review (review.json dict, the written tables, interval frames)."""
    per, staff, table = extras["per"], extras["staff"], extras["table"]
    charts_volume = line_chart(per["timestamp"], {"forecast": per["forecast"],
                                                  "actual": per["actual"]},
                               "Forecast vs actual inquiries per interval")
    charts_staff = line_chart(staff["timestamp"], {"scheduled": staff["scheduled"],
                                                   "logged in": staff["logged_in"]},
                              "Agents scheduled vs logged in", fmt=",.0f", y_min=0)
    charts_rate = line_chart(table["timestamp"], {
        "actual": table["actual"], "plan predicted": table["predicted"],
        "target": table["target"]}, "3-minute response rate (share)", fmt=".2f")
    days, causes = _daily_causes(table)
    charts_cause = stacked_bars(days, causes, "Lost inquiries per day by cause")
    slots = tables["breakdown_slots"].head(10)
    findings = tables["findings"][["rank", "finding", "impact_points", "impact_cny",
                                   "difficulty", "priority", "owner", "deadline",
                                   "acceptance"]]
    lost = np.array([causes[c].sum() for c in causes])
    att_rows = pd.DataFrame({"cause": list(causes), "lost_inquiries": lost,
                             "share_of_lost": lost / lost.sum() if lost.sum() > 0 else lost})
    sections: list[tuple[str, str, object]] = [
        ("Summary 概览", _summary_text(review), []),
        ("Findings 问题清单 (ranked by priority = impact CNY × (4 − difficulty))", "",
         findings),
        ("Forecast vs actual 预测与实际", "", [charts_volume, tables["variance_phases"][[
            "phase", "intervals", "forecast", "actual", "wape", "bias", "peak_hour_error",
            "inside_80_rate", "three_min_rate", "lost_inquiries"]]]),
        ("Scheduled vs logged in 排班与在线", "", charts_staff),
        ("Where the miss came from 归因",
         "Each interval's miss (target − actual 3-minute rate) splits exactly into schedule "
         "(the plan itself short), volume (forecast error), handle time, execution (agents "
         "absent) and other (what the queueing model does not explain). Lost inquiries are "
         "split over the parts that made service worse.",
         [charts_rate, charts_cause, att_rows]),
        ("Worst time slots 最差时段", "", slots),
        ("Question types 问题类型", "", tables["breakdown_types"]),
        ("Agents 客服", "Slowest and fastest by average response (agents with enough chats); "
         "CSAT outliers by z-score.", tables["breakdown_agents"].head(15)),
    ]
    if review.get("hindsight"):
        hind = pd.DataFrame([{k: v for k, v in review["hindsight"].items()
                              if not isinstance(v, dict | list)}])
        sections.append(("Hindsight plan 事后最优排班", "The roster re-optimised on the actual "
                         "volume: what a perfect forecast would have cost.", hind))
    if "tracking_previous" in tables:
        prev = tables["tracking_previous"]
        sections.append(("Previous findings 上次复盘跟踪", "Each finding of the previous review "
                         "measured on this event's actuals (`after`, `met`).", prev))
    sections.append(("Next plan 下次计划 (events_suggested.csv)", "Observed uplift per phase "
                     "vs the reference days; shift the dates to the next occurrence.",
                     tables["events_suggested"]))
    title = f"Post-event review 复盘 · {review['event']['scenario']}"
    return render(sections, title)
