"""Benchmark baselines (not used by :func:`forecast.forecast_volume`).

* :func:`seasonal_naive` — value at the same slot in the latest training week that has it
  (same hour last week, repeated through the horizon). 80 % interval: the forecast times the
  10th/90th percentile of week-over-week ratios in the last eight training weeks.
* :func:`scaled_naive` — the seasonal naive multiplied, inside each event phase, by last
  occurrence's ratio: mean volume of that family × phase at that hour of day ÷ mean volume at
  that hour of day in the ordinary hours of the 28 days before the occurrence began and after it
  ended (1 when the phase has no earlier occurrence in training).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.events import event_hits, in_event

WEEK = pd.Timedelta(days=7)


def seasonal_naive(train: pd.DataFrame, ts: pd.DatetimeIndex, level: float = 80) -> pd.DataFrame:
    """Columns ``timestamp,volume,lower_<L>,upper_<L>`` for timestamps ``ts``."""
    s = train.set_index("timestamp")["volume"]
    cut = s.index.max()
    ts = pd.DatetimeIndex(ts)
    out = pd.Series(np.nan, index=ts)
    k = 1
    while out.isna().any() and k < 60:
        cand = ts - k * WEEK
        val = s.reindex(cand).to_numpy()
        ok = out.isna().to_numpy() & (cand <= cut) & ~np.isnan(val)
        out[ok] = val[ok]
        k += 1
    f = out.fillna(0.0).to_numpy()
    recent = s[s.index > cut - 8 * WEEK]
    prev = s.reindex(recent.index - WEEK).to_numpy()
    ratio = recent.to_numpy() / prev
    ratio = ratio[np.isfinite(ratio) & (prev > 0)]
    q = (1 - level / 100) / 2
    lo, hi = (np.quantile(ratio, [q, 1 - q]) if len(ratio) else (1.0, 1.0))
    tag = f"{level:g}"
    return pd.DataFrame({"timestamp": ts, "volume": f, f"lower_{tag}": f * lo,
                         f"upper_{tag}": f * hi})


def event_ratios(train: pd.DataFrame, events: pd.DataFrame) -> dict[tuple[str, int], float]:
    """(key, hour of day) → last occurrence's volume ratio against the 28 days before it."""
    s = train.set_index("timestamp")["volume"]
    ts = pd.DatetimeIndex(s.index)
    hits = event_hits(events, ts)
    if hits.empty:
        return {}
    ordinary = ~in_event(events, ts)
    hits = hits.assign(occ=events.loc[hits["event_row"].to_numpy(), "occurrence"].to_numpy())
    first = events.groupby("occurrence")["start"].min()
    final = events.groupby("occurrence")["end"].max()
    out: dict[tuple[str, int], float] = {}
    for key, grp in hits.groupby("key"):
        last = grp[grp["occ"] == grp["occ"].max()]
        begin, finish = first[last["occ"].iloc[0]], final[last["occ"].iloc[0]]
        before = (ts >= begin - 4 * WEEK) & (ts < begin)
        near = before | ((ts > finish) & (ts <= finish + 4 * WEEK))
        base = near & ordinary
        base_h = s[base].groupby(ts[base].hour).mean()
        ev_h = s.iloc[last["pos"].to_numpy()].groupby(last["hod"].to_numpy()).mean()
        for h, v in ev_h.items():
            if h in base_h.index and base_h[h] > 0:
                out[(str(key), int(h))] = float(v / base_h[h])
    return out


def scaled_naive(
    train: pd.DataFrame, events: pd.DataFrame | None, ts: pd.DatetimeIndex, level: float = 80
) -> pd.DataFrame:
    """Seasonal naive scaled by last year's event ratio inside event phases."""
    out = seasonal_naive(train, ts, level)
    if events is None:
        return out
    ratios = event_ratios(train, events)
    hits = event_hits(events, pd.DatetimeIndex(ts)).drop_duplicates("pos", keep="last")
    mult = np.ones(len(out))
    r = np.array([ratios.get((k, int(h)), 1.0) for k, h in zip(hits["key"], hits["hod"],
                                                               strict=True)])
    mult[hits["pos"].to_numpy(dtype=int)] = r
    cols = [c for c in out.columns if c != "timestamp"]
    out[cols] = out[cols].to_numpy() * mult[:, None]
    return out
