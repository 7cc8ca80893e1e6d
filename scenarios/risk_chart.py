"""The forecast-risk chart: cost of each staffing choice against how often it misses the target
(Altair; PNG through vl-convert, HTML with the Vega libraries inlined, so it opens offline)."""

from __future__ import annotations

import pandas as pd


def risk_chart(table: pd.DataFrame):
    """Altair chart of ``table`` (risk.csv rows): x = wages (CNY), y = P(miss) of the horizon
    service level (0–1), one labelled point per ``staff_to``; tooltips carry the other risks."""
    import altair as alt

    data = table.assign(
        p_miss=table["p_miss"].astype(float),
        label=table["staff_to"].astype(str),
    )
    base = alt.Chart(data).encode(
        x=alt.X("wages_cny:Q", title="wages (CNY)", scale=alt.Scale(zero=False)),
        y=alt.Y("p_miss:Q", title="P(service level over the horizon < target)",
                scale=alt.Scale(domain=[0, 1])),
    )
    tooltip = [
        alt.Tooltip("staff_to:N"),
        alt.Tooltip("wages_cny:Q", format=",.0f", title="wages CNY"),
        alt.Tooltip("p_miss:Q", format=".1%"),
        alt.Tooltip("p_any_day_miss:Q", format=".1%", title="P(any day under target)"),
        alt.Tooltip("p_peak_day_miss:Q", format=".1%", title="P(peak day under target)"),
        alt.Tooltip("sl_p5:Q", format=".1%"),
        alt.Tooltip("sl_p50:Q", format=".1%"),
        alt.Tooltip("sl_p95:Q", format=".1%"),
        alt.Tooltip("expected_short_intervals:Q", format=".1f"),
    ]
    points = base.mark_line(point=alt.OverlayMarkDef(size=90)).encode(tooltip=tooltip)
    labels = base.mark_text(align="left", dx=8, dy=-8).encode(text="label:N")
    day = base.mark_point(shape="triangle", size=60, color="#d62728").encode(
        y="p_any_day_miss:Q", tooltip=tooltip
    )
    return (points + labels + day).properties(
        width=480,
        height=300,
        title="Staffing to a forecast quantile: cost vs risk of missing the target "
        "(dot: whole horizon, triangle: any day)",
    )


def chart_files(table: pd.DataFrame) -> dict[str, bytes]:
    """``risk.png`` and ``risk.html`` bytes for ``table``."""
    import vl_convert

    chart = risk_chart(table)
    png = vl_convert.vegalite_to_png(chart.to_json(), scale=2)
    try:
        html = chart.to_html(inline=True)
    except (TypeError, ValueError, ImportError):  # pragma: no cover - older Altair
        html = chart.to_html()
    return {"risk.png": png, "risk.html": html.encode("utf-8")}
