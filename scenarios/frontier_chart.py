"""The cost–service frontier chart (``frontier.png`` and ``frontier.html``): wages (CNY) against
expected service level (as scheduled, 0..1), one point per swept value, labelled by the value;
dominated points drawn hollow in grey and named in the legend, the service target dashed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

FRONTIER = "on the frontier"
DOMINATED = "dominated"


def _status(row: pd.Series) -> str:
    if bool(row["dominated"]):
        return f"{DOMINATED}: {row['label']} (by {row['dominated_by']})"
    return FRONTIER


def frontier_chart(table: pd.DataFrame, targets: Sequence[float] = ()):
    """An Altair chart of ``table`` (frontier.csv's columns); ``targets`` are the service-level
    targets of the runs (a dashed line each, labelled)."""
    import altair as alt

    data = table.copy()
    data["dominated_by"] = data["dominated_by"].fillna("").astype(str)
    data = data.astype(object).where(data.notna(), None)  # NaN is not JSON
    data["point"] = data.apply(_status, axis=1)
    data["value_text"] = data["value"].astype(str)
    data["point_label"] = [
        f"{v} (dominated)" if d else str(v)
        for v, d in zip(data["value"], data["dominated"], strict=True)
    ]
    # Points at the same place share one label ("0.7, 0.75") instead of overprinting.
    place = data[["wages_total_cny", "expected_service_level"]].astype(str).agg("|".join, axis=1)
    joined = data.groupby(place, sort=False)["point_label"].transform(", ".join)
    data["point_label"] = joined.where(~place.duplicated(), "")
    param = str(data["param"].iloc[0]) if len(data) else "value"
    statuses = [FRONTIER, *sorted(s for s in data["point"].unique() if s != FRONTIER)]
    colours = ["#1f77b4", *["#9a9a9a"] * (len(statuses) - 1)]
    shapes = ["circle", *["diamond"] * (len(statuses) - 1)]
    fills = [True, *[False] * (len(statuses) - 1)]
    encode_legend = alt.Legend(title="point", orient="bottom", columns=1, labelLimit=400)
    base = alt.Chart(data).encode(
        x=alt.X("wages_total_cny:Q", title="wages, CNY", scale=alt.Scale(zero=False)),
        y=alt.Y(
            "expected_service_level:Q",
            title="expected service level (as scheduled)",
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format="%"),
        ),
    )
    line = base.transform_filter(alt.datum.dominated == False).mark_line(  # noqa: E712
        color="#1f77b4", opacity=0.5
    ).encode(order="wages_total_cny:Q")
    points = base.mark_point(size=110, strokeWidth=2).encode(
        color=alt.Color(
            "point:N",
            scale=alt.Scale(domain=statuses, range=colours),
            legend=encode_legend,
        ),
        shape=alt.Shape("point:N", scale=alt.Scale(domain=statuses, range=shapes), legend=None),
        fill=alt.Fill(
            "point:N",
            scale=alt.Scale(domain=statuses, range=[c if f else "white" for c, f in
                                                   zip(colours, fills, strict=True)]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("label:N", title="run"),
            alt.Tooltip("value_text:N", title=param),
            alt.Tooltip("wages_total_cny:Q", title="wages, CNY", format=",.0f"),
            alt.Tooltip("expected_service_level:Q", title="service level", format=".2%"),
            alt.Tooltip("short_agent_hours:Q", title="short, agent-hours"),
            alt.Tooltip("point:N", title="point"),
        ],
    )
    labels = base.mark_text(align="left", dx=8, dy=-8, fontSize=11).encode(
        text="point_label:N"
    )
    layers = [line, points, labels]
    distinct = sorted({float(t) for t in targets if t is not None and pd.notna(t)})
    if distinct:
        rules = pd.DataFrame({"target": distinct, "text": [f"target {t:.0%}" for t in distinct]})
        rule = alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#d62728").encode(
            y="target:Q"
        )
        rule_text = alt.Chart(rules).mark_text(
            align="right", baseline="bottom", color="#d62728", fontSize=10,
            x=alt.expr("width"), dx=-2,
        ).encode(y="target:Q", text="text:N")
        layers += [rule, rule_text]
    return alt.layer(*layers).properties(
        width=520,
        height=340,
        title=f"Cost–service frontier over {param}",
    )


def chart_files(table: pd.DataFrame, targets: Sequence[float] = ()) -> dict[str, bytes]:
    """``frontier.png`` (via vl-convert) and ``frontier.html`` (self-contained) bytes."""
    import vl_convert

    chart = frontier_chart(table, targets)
    png = vl_convert.vegalite_to_png(chart.to_json(), scale=2)
    try:
        html = chart.to_html(inline=True)
    except (TypeError, ValueError, ImportError):  # pragma: no cover - older Altair
        html = chart.to_html()
    return {"frontier.png": png, "frontier.html": html.encode("utf-8")}
