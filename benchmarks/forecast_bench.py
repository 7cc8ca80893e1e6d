"""Forecast benchmark (``make bench``): hold-out accuracy, interval coverage and speed.

Hold-outs:
* sample data, 2025 Double 11: train to 2025-10-15 23:00, forecast 2025-10-16..2025-11-15;
* sample data, a plain month: train to 2026-08-31 23:00, forecast 2026-09-01..09-30;
* real bank series (../shared/data/real/us-bank-2003-hourly.csv): hold out the last four weeks,
  events = benchmarks/data/us-bank-2003-events.csv (closures + post-holiday catch-up days);
* real bike-share series (../shared/data/real/bike-share-dc-2011-2012-hourly.csv, its holidays
  file): train to 2012-06-30, forecast 2012-07-01..12-31; each holiday of the hold-out has
  exactly one earlier occurrence (2011), the case issue 23 is about.

Columns ``WAPE events`` and ``cov80 events`` score the event hours alone.

Models: promo GLM (ours), (a) seasonal naive, (b) seasonal naive × last year's event ratio,
(c) STL + ETS on the de-evented series, (d) statsmodels ETS and (e) statsmodels
UnobservedComponents on the plain series. Writes benchmarks/results/forecast.md.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_format import cores  # noqa: E402
from forecast import validate_events, validate_history  # noqa: E402
from forecast.alternative import stl_ets_forecast  # noqa: E402
from forecast.api import forecast_volume, predict_frame  # noqa: E402
from forecast.baselines import (  # noqa: E402
    ets_forecast,
    scaled_naive,
    seasonal_naive,
    uc_forecast,
)
from forecast.events import in_event  # noqa: E402
from forecast.metrics import bias, coverage, peak_error, wape  # noqa: E402
from forecast.model import PromoGLM  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
BANK = ROOT.parent / "shared" / "data" / "real" / "us-bank-2003-hourly.csv"
BANK_EVENTS = ROOT / "benchmarks" / "data" / "us-bank-2003-events.csv"
BIKE = ROOT.parent / "shared" / "data" / "real" / "bike-share-dc-2011-2012-hourly.csv"
BIKE_EVENTS = ROOT.parent / "shared" / "data" / "real" / "bike-share-dc-holidays.csv"
OUT = ROOT / "benchmarks" / "results" / "forecast.md"


NOTES = """
## Notes

* **Model kept: the promotion-aware count GLM** (`forecast/model.py`). It beats the STL + ETS
  alternative and statsmodels' own ETS and UnobservedComponents (fitted on the last 12 weeks of
  the plain series: they know no events, and on the bank series follow its short last hour) on
  every hold-out in WAPE; SARIMAX with a 168-hour
  season was not run (far too slow for two years of hours, statsmodels #6033/#3189).
* **Double 11 pre-sale in the 2025 hold-out.** The history starts 2024-11-01, after the 2024
  pre-sale and after the 2024 deposit-payment opening, so neither the `double11|presale` phase
  nor the deposit opening hours were ever seen before the 2025 cut-off. The model borrows them
  from the same phase names of `618` (seen in 2025), scaled by how much larger Double 11's shared
  phase effects are than 618's (least squares on the log effects). Without that borrowing the
  pre-sale is forecast with no uplift (warning), the hold-out WAPE rises to 0.153 and the 80 %
  coverage falls to 56 % (measured by disabling the borrowing).
* **Annual seasonality** needs >= 0.9 year of training (the 2025 Double 11 cut-off has 0.96
  year): 2 harmonics below 1.5 years, 3 above. With none, the autumn rise was missed (bias about
  −11 %, 80 % coverage 58 %).
* **Interval honesty.** Variance = phi·mu + (alpha + se²)·mu², phi/alpha fitted to binned
  squared residuals separately for event and ordinary hours, se² the parameter uncertainty of
  the linear predictor, plus an occurrence-level variance (how much a whole Double 11 differs
  from the learned effect) when some phase has been seen in two occurrences — not the case at the
  2025 cut-off, which is why the 2025 peak interval is narrow. That variance is estimated from
  sum(occurrences − 1) degrees of freedom over the phases (2 at the bank's 09-02 origin), so the
  next occurrence's level is Student-t, not normal: its part of the variance is scaled by
  (t_dof(q) / z(q))² at each quantile level q (`forecast.calibration.level_alpha`; from 2
  degrees of freedom the level's 80 % interval is 1.47 × the normal one). Measured: bank rolling
  origins' event-hour coverage 51.8 → 55.4 % (09-02: 7 → 21 %), bike-share event hours 83.2 →
  85.3 %, the 2026 campaign 81.5 → 81.8 % (95 %: 94.6 → 95.5 %); Double 11 and the plain month
  unchanged (no phase seen twice before their cut-offs).
* **Bank series.** Open hours are inferred (a slot of the week is open when >= 50 % of the weeks
  have a row in it): 70 slots, weekdays 07:00–20:00; nothing is forecast at night or at weekends.
  Holidays/closures and the catch-up day after each are in
  `benchmarks/data/us-bank-2003-events.csv` (closures with `uplift` 0 → forecast 0;
  `post_holiday` learned from earlier catch-up days). 2003-10-14 is absent in the data (no
  holiday; treated as a known closure) and 10-15 as its catch-up day. The last training hour
  (2003-09-26 20:00, 218 calls against ~850 usually) is what drags STL + ETS down: its level
  follows the last observation.
* **Partial pooling** (`forecast/pooling.py`, issue 23 point 1). Each phase's hour effects are
  shrunk toward the other families' same phase (or an ordinary day) by how noisy one
  occurrence's level is and how many occurrences support them; the pooled level's error widens
  that phase's intervals. The row "promo GLM, unpooled" is the same model without it. On the
  bike-share series (every hold-out holiday seen once before) pooling cuts the event-hour WAPE
  by about a sixth; on Double 11 nothing of note moves (the phases are seen twice, far apart from
  their peers). On the bank series it does not help, and the intervals of its event hours are too
  narrow: the last four weeks hold one catch-up day (14 hours, where pooling gains 7 % and covers
  all), but over four rolling origins (56 hours) pooling loses 7 % and covers 55 %. The bank has
  one event phase with an uplift (`post_holiday|catch_up`), so its only pooling target is an
  ordinary day, and its occurrences differ more than anything in the data predicts: 0.97, 1.26,
  1.06, 1.34, 1.17 × the same weekday's median (after Monday holidays, +26 % and +34 %; 09-02 is
  also the month's second business day, and month starts run 4–18 % high, a day-of-month effect
  the model does not have). Seen once (05-27), its deviation is unknown and the interval uses an
  ordinary day's day-level variance. At 09-02 the ordinary days after it also run 7–19 % over
  the forecast (the level shift, not the event, is most of the miss), and the upper 80 % bound
  reaches 1.22–1.27 × the forecast against actuals at 1.24–1.32 ×. Not met: issue 23's ≥ 10 %
  event-WAPE gain and, on rolling origins, ≥ 70 % event-hour coverage on this series.
  Where the rolling origins' error lies (2026-12-07): scaled to the catch-up day's true volume,
  the learned catch-up shape gives event-hour WAPE 4.3, 4.4, 1.8 and 5.9 % at the four origins
  and an ordinary weekday's shape 2.5, 4.4, 2.3 and 5.6 %, against 23.7, 7.5, 21.7 and 6.1 % as
  forecast: the miss is the day's level (F/A 0.76–0.98), not its shape. Event-hour coverage is
  then decided a whole day at a time: were each day's interval right 80 % of the time, 2 or
  fewer of 4 days covered would still happen with probability 0.18, so four origins cannot
  show a calibration failure either way. Tried and not kept: pooling a phase's intraday
  *shape* toward its target's separately from its level (James-Stein over the hours, noise
  from the per-occurrence residuals): bank event hours 6.0 → 6.0 % (rolling 15.2 → 15.4 %),
  bike-share event hours 33.6 → 35.1 %, Double 11 9.8 → 9.6 %.
* **Occurrences** (`forecast/validate.py`). A family's phases form one occurrence unless more
  than 60 days apart *or a phase begins again*. Before that rule, the bank's catch-up days (41–57
  days apart) were one long occurrence, so the model had no occurrence-level variance for them;
  now 4 occurrences give one (log-level variance 0.019 at the last cut), and the catch-up day's
  80 % interval widened from ±11 % to ±21 %.
* **Compact design, statsmodels as the fitter** (issue 23 point 2). The ordinary week is
  time-of-day + weekend intraday shift + day-of-week (53 columns instead of 168 slot-of-week
  ones); a phase's hour-of-day profile is a periodic cubic spline with 8 functions (knots every
  3 h) instead of 24 hour columns, plus a column for up to two hours that stand out of it (a
  20:00 livestream drop) and pairs of opening/closing hours. The full 2-year design went from
  697 to 261 columns. Before → after on the hold-outs (pooled, before calibration): Double 11
  WAPE 10.1 → 9.8 %, peak-hour error 1.5 → 0.2 %; plain month 8.0 → 8.1 %; bank 5.6 → 5.8 %
  (event hours 7.9 → 6.1 %); bike share 20.6 → 21.6 % (event hours 31.0 → 33.6 %: the per-hour
  holiday columns fitted the vanished commute peaks more closely). A 6-function spline lost more
  on bike-share event hours (39.9 %), a 12-function one needed 373 columns. The default fit is
  now `sm.GLM(Poisson).fit(scale="X2")` from statsmodels' own starting values (IRLS, 9
  iterations); the sparse IRLS (`engine="sparse"`) is kept as a faster cross-check and gives the
  same estimates (row "Fit only").
* **Calibrated intervals** (`forecast/calibration.py`). Both real series over-covered with the
  moment-matched negative binomial (80 % interval: 86 % of bank and bike-share hold-out hours,
  84 % of their own training hours) while under-covering at 95 % (bike share 91.8 %): day-level
  shocks make the errors heavy-tailed. The ordinary hours' quantile levels are mapped through the
  empirical distribution of their training PIT values (randomised for counts); event hours keep
  nominal levels. The risk sampler (`scenarios/risk.py`) still draws the moment-matched
  distribution, so its quantiles differ from the frame's bounds by that shape correction.
* Baseline (b) scales the seasonal naive inside each phase by last occurrence's ratio per hour
  of day; it has no ratio for phases absent from the history (the Double 11 pre-sale), where it
  equals (a).
"""


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def run_models(hist, events, cut, end):
    train = hist[hist["timestamp"] <= cut]
    test = hist[(hist["timestamp"] > cut) & (hist["timestamp"] <= end)]
    ts = pd.DatetimeIndex(test["timestamp"])
    start = cut + pd.Timedelta(hours=1)
    out = {}
    t = time.perf_counter()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        glm = forecast_volume(train, events, start, end)
    out["promo GLM (ours)"] = (glm, time.perf_counter() - t)
    t = time.perf_counter()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        model = PromoGLM(pool=False).fit(train["timestamp"], train["volume"], events)
        unpooled = predict_frame(model, start, end, events, (80.0, 95.0))
    out["promo GLM, unpooled"] = (unpooled, time.perf_counter() - t)
    t = time.perf_counter()
    out["(a) seasonal naive"] = (seasonal_naive(train, ts), time.perf_counter() - t)
    t = time.perf_counter()
    out["(b) naive × event ratio"] = (scaled_naive(train, events, ts), time.perf_counter() - t)
    t = time.perf_counter()
    alt = stl_ets_forecast(train, events, start, end)
    out["(c) STL+ETS de-evented"] = (alt, time.perf_counter() - t)
    t = time.perf_counter()
    ets = ets_forecast(train, events, start, end)
    out["(d) ETS (statsmodels)"] = (ets, time.perf_counter() - t)
    t = time.perf_counter()
    uc = uc_forecast(train, events, start, end)
    out["(e) UnobservedComponents (statsmodels)"] = (uc, time.perf_counter() - t)
    rows = []
    ev_mask = in_event(events, ts) if events is not None else np.zeros(len(ts), bool)
    for name, (f, secs) in out.items():
        m = test.merge(f, on="timestamp", how="left", suffixes=("", "_f"))
        fc = m["volume_f"].fillna(0.0).to_numpy()
        a = m["volume"].to_numpy()
        rows.append({
            "model": name,
            "WAPE": wape(a, fc),
            "WAPE events": wape(a[ev_mask], fc[ev_mask]) if ev_mask.any() else np.nan,
            "bias": bias(a, fc),
            "peak-hour err": peak_error(a, fc),
            "cov80": coverage(a, m["lower_80"].fillna(0), m["upper_80"].fillna(0)),
            "cov80 events": coverage(a[ev_mask], m["lower_80"].fillna(0)[ev_mask],
                                     m["upper_80"].fillna(0)[ev_mask])
            if ev_mask.any() else np.nan,
            "cov95": coverage(a, m["lower_95"], m["upper_95"]) if "lower_95" in m else np.nan,
            "seconds": secs,
            "unscored": int(m["volume_f"].isna().sum()),
        })
    return pd.DataFrame(rows), glm, test


def bank_rolling(bank: pd.DataFrame, events: pd.DataFrame) -> tuple[str, dict[str, float]]:
    """Rolling origins on the bank series: one per holiday closure whose catch-up day has an
    earlier occurrence (cut the evening before the closure, forecast the next 14 days). The last
    four weeks hold only one catch-up day (14 event hours); four origins score 56, with the
    catch-up seen 1, 2, 3 and 4 times before. Returns the markdown table and the totals."""
    catch = events[events["phase"] == "catch_up"].sort_values("start")
    closed = events[events["phase"] == "closed"]
    rows, tot = [], {}
    for day in catch["start"].iloc[1:]:
        first = closed.loc[closed["end"] < day, "start"].max()
        cut = first.normalize() - pd.Timedelta(hours=1)
        end = cut + pd.Timedelta(days=14)
        train = bank[bank["timestamp"] <= cut]
        test = bank[(bank["timestamp"] > cut) & (bank["timestamp"] <= end)]
        mask = in_event(events, pd.DatetimeIndex(test["timestamp"]))
        a = test["volume"].to_numpy(float)[mask]
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            pooled = forecast_volume(train, events, cut + pd.Timedelta(hours=1), end)
            model = PromoGLM(pool=False).fit(train["timestamp"], train["volume"], events)
            flat = predict_frame(model, cut + pd.Timedelta(hours=1), end, events, (80.0, 95.0))
        cells = [f"{day:%Y-%m-%d}", str(int((catch["start"] < day).sum())), str(int(mask.sum()))]
        for name, f in (("pooled", pooled), ("unpooled", flat)):
            m = test.merge(f, on="timestamp", how="left", suffixes=("", "_f"))[mask]
            fc = m["volume_f"].fillna(0.0).to_numpy()
            inside = (a >= m["lower_80"].to_numpy()) & (a <= m["upper_80"].to_numpy())
            t = tot.setdefault(name, np.zeros(4))
            t += [np.abs(fc - a).sum(), a.sum(), inside.sum(), len(a)]
            cells += [f"{wape(a, fc):.1%}", f"{fc.sum() / a.sum():.2f}", f"{inside.mean():.0%}"]
        rows.append("| " + " | ".join(cells) + " |")
    out = {f"{k} {m}": v for k, t in tot.items()
           for m, v in (("wape", t[0] / t[1]), ("cov80", t[2] / t[3]))}
    head = ("| catch-up day | seen before | event hours | WAPE pooled | F/A pooled | cov80 pooled "
            "| WAPE unpooled | F/A unpooled | cov80 unpooled |\n|" + "---|" * 9 + "\n")
    total = (f"| all | | {int(tot['pooled'][3])} | {out['pooled wape']:.1%} | | "
             f"{out['pooled cov80']:.0%} | {out['unpooled wape']:.1%} | | "
             f"{out['unpooled cov80']:.0%} |")
    return head + "\n".join(rows) + "\n" + total + "\n", out


def fmt(df: pd.DataFrame) -> str:
    cols = ["model", "WAPE", "WAPE events", "bias", "peak-hour err", "cov80", "cov80 events",
            "cov95", "seconds"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        cells = [r["model"]]
        for c in cols[1:-1]:
            cells.append("–" if pd.isna(r[c]) else f"{r[c]:.1%}" if c != "bias" else
                         f"{r[c]:+.1%}")
        cells.append(f"{r['seconds']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    hist = validate_history(read(SAMPLE / "history.csv"), "history.csv")
    events = validate_events(read(SAMPLE / "events.csv"), "events.csv")
    cases = [
        ("Sample data, 2025 Double 11 hold-out (train to 2025-10-15, forecast 10-16..11-15)",
         hist, events, "2025-10-15 23:00", "2025-11-15 23:00"),
        ("Sample data, plain month (train to 2026-08-31, forecast 2026-09-01..09-30)",
         hist, events, "2026-08-31 23:00", "2026-09-30 23:00"),
    ]
    bank = validate_history(read(BANK), BANK.name)
    bank_ev = validate_events(read(BANK_EVENTS), BANK_EVENTS.name)
    last = bank["timestamp"].max()
    bank_cut = (last - pd.Timedelta(days=28)).normalize() + pd.Timedelta(hours=23)
    cases.append((f"Real bank series, last four weeks (train to {bank_cut:%Y-%m-%d}, forecast "
                  f"to {last:%Y-%m-%d})", bank, bank_ev, str(bank_cut), str(last)))
    rolling, roll = bank_rolling(bank, bank_ev)
    bike = validate_history(read(BIKE), BIKE.name)
    bike_ev = validate_events(read(BIKE_EVENTS), BIKE_EVENTS.name)
    cases.append(("Real bike-share series, 2012 H2 (train to 2012-06-30, forecast 07-01..12-31; "
                  "each holiday seen once before)", bike, bike_ev, "2012-06-30 23:00",
                  "2012-12-31 23:00"))
    sections, checks = [], []
    for title, h, ev, cut, end in cases:
        cut, end = pd.Timestamp(cut), pd.Timestamp(end)
        res, glm, test = run_models(h, ev, cut, end)
        print(title)
        print(res.to_string(index=False))
        sections.append(f"### {title}\n\n{fmt(res)}\n")
        ours = res.iloc[0]
        naive = res.iloc[2]
        if "Real" in title:
            flat = res.iloc[1]
            gain = 1 - ours["WAPE events"] / flat["WAPE events"]
            checks.append((f"{title.split(',')[0]}: event-hour WAPE ≥ 10 % below the unpooled "
                           "model (issue 23)", f"{ours['WAPE events']:.1%} vs "
                           f"{flat['WAPE events']:.1%} ({gain:+.0%})", gain >= 0.10))
        ratio = ours["WAPE"] / naive["WAPE"]
        if "Double 11" in title:
            checks.append(("Double 11: WAPE ≤ 0.7 × seasonal naive", f"{ratio:.2f}×", ratio <= 0.7))
            checks.append(("Double 11: peak-hour error ≤ 15 %", f"{ours['peak-hour err']:.1%}",
                           ours["peak-hour err"] <= 0.15))
            checks.append(("Double 11: WAPE ≤ 10.5 % (issue 23)", f"{ours['WAPE']:.1%}",
                           ours["WAPE"] <= 0.105))
            checks.append(("Double 11: peak-hour error ≤ 5 % (issue 23)",
                           f"{ours['peak-hour err']:.1%}", ours["peak-hour err"] <= 0.05))
            checks.append(("Double 11: 80 % coverage in [75 %, 85 %] (issue 23)",
                           f"{ours['cov80']:.1%}", 0.75 <= ours["cov80"] <= 0.85))
            checks.append(("Double 11 hold-out fit (11.5 months hourly) + forecast",
                           f"{ours['seconds']:.2f} s", ours["seconds"] <= 10))
        if "bike-share" in title:
            checks.append(("Bike share: 80 % coverage in [75 %, 85 %] (issue 23)",
                           f"{ours['cov80']:.1%}", 0.75 <= ours["cov80"] <= 0.85))
            checks.append(("Bike share: 80 % coverage on event hours ≥ 70 % (issue 23)",
                           f"{ours['cov80 events']:.1%}", ours["cov80 events"] >= 0.70))
        if "bank" in title:
            sections.append(
                "### Real bank series, rolling origins over the catch-up days (event hours only)"
                "\n\nCut the evening before each holiday closure, forecast 14 days; F/A = forecast "
                "÷ actual volume of the catch-up day.\n\n" + rolling)
            gain = 1 - roll["pooled wape"] / roll["unpooled wape"]
            checks.append(("Bank, rolling origins (56 catch-up hours, seen 1–4 times): event-hour "
                           "WAPE ≥ 10 % below the unpooled model (issue 23)",
                           f"{roll['pooled wape']:.1%} vs {roll['unpooled wape']:.1%} "
                           f"({gain:+.0%})", gain >= 0.10))
            checks.append(("Bank, rolling origins: 80 % coverage on event hours ≥ 70 % (issue 23)",
                           f"{roll['pooled cov80']:.1%}", roll["pooled cov80"] >= 0.70))
            checks.append(("Bank: WAPE ≤ 0.85 × seasonal naive", f"{ratio:.2f}×", ratio <= 0.85))
            checks.append(("Bank: 80 % coverage in [75 %, 85 %] (issue 23)",
                           f"{ours['cov80']:.1%}", 0.75 <= ours["cov80"] <= 0.85))
            checks.append(("Bank: 80 % coverage on event hours ≥ 70 % (issue 23)",
                           f"{ours['cov80 events']:.1%}", ours["cov80 events"] >= 0.70))
            ts = glm["timestamp"]
            closed = ((ts.dt.hour < 7) | (ts.dt.hour > 20) | (ts.dt.day_of_week >= 5)).sum()
            zero_days = glm.loc[glm["volume"] == 0, "timestamp"].dt.date.unique()
            checks.append(("Bank: forecast rows in closed hours (nights/weekends)", str(closed),
                           closed == 0))
            checks.append(("Bank: known closure days forecast as 0 (from events file)",
                           ", ".join(str(d) for d in zero_days) or "none", True))
    # full 2-year fit + 2026 campaign forecast, scored against data/sample/actuals/hourly.csv
    t = time.perf_counter()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        camp = forecast_volume(hist, events, "2026-11-01", "2026-11-14 23:00")
    full = time.perf_counter() - t
    act = read(SAMPLE / "actuals" / "hourly.csv")
    act = pd.DataFrame({"timestamp": pd.to_datetime(act["timestamp"]),
                        "volume": act["volume"].astype(float)})
    m = act.merge(camp, on="timestamp", suffixes=("", "_f"))
    a, fc = m["volume"].to_numpy(), m["volume_f"].to_numpy()
    sections.append(
        "### Sample data, 2026 campaign (fit on all history, forecast 2026-11-01..11-14) vs "
        "`data/sample/actuals/hourly.csv`\n\n"
        "Informative: the actuals include a logistics surge from 11-12 that no plan knew of.\n\n"
        "| WAPE | WAPE 11-01..11-11 | bias | peak-hour err | cov80 | cov95 | seconds |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| {wape(a, fc):.1%} | "
        f"{wape(a[m['timestamp'] < '2026-11-12'], fc[m['timestamp'] < '2026-11-12']):.1%} | "
        f"{bias(a, fc):+.1%} | {peak_error(a, fc):.1%} | "
        f"{coverage(a, m['lower_80'], m['upper_80']):.1%} | "
        f"{coverage(a, m['lower_95'], m['upper_95']):.1%} | {full:.2f} |\n"
    )
    checks.append(("Default fit (statsmodels GLM.fit) + forecast, 2 years hourly (all 17,498 h, "
                   "forecast 2026-11-01..14) ≤ 5 s (issue 23)", f"{full:.2f} s", full <= 5))
    # the default engine (statsmodels' own GLM.fit, from its own start) against the sparse IRLS
    times, params = {}, {}
    for engine in ("statsmodels", "sparse"):
        t = time.perf_counter()
        m = PromoGLM(engine=engine, pool=False).fit(hist["timestamp"], hist["volume"], events)
        times[engine], params[engine] = time.perf_counter() - t, m.params
    diff = float(np.max(np.abs(params["sparse"] - params["statsmodels"])))
    checks.append((f"Fit only, {len(m.params)} columns: statsmodels GLM.fit (default) vs sparse "
                   f"IRLS (max abs Δβ {diff:.1e})",
                   f"{times['statsmodels']:.2f} s vs {times['sparse']:.2f} s", diff <= 1e-6))
    lines = [
        "# Forecast benchmark",
        "",
        f"Run {pd.Timestamp.now():%Y-%m-%d %H:%M} on {platform.node() or 'host'} — "
        f"{cores()}, load average {os.getloadavg()[0]:.1f} at the end, "
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}. "
        "Generated by `benchmarks/forecast_bench.py`.",
        "",
        "Metrics on actual rows only: WAPE = Σ|F−A|/ΣA; *WAPE events* = the same over hours in an "
        "event phase; bias = Σ(F−A)/ΣA; peak-hour err = |F−A|/A at the hour of the largest "
        "actual; cov80/cov95 = share of actuals inside the 80 %/95 % interval; seconds = fit + "
        "predict wall time (the machine is shared, so times include contention).",
        "",
        "## Acceptance checks",
        "",
        "| check | value | pass |",
        "|---|---|---|",
        *[f"| {c} | {v} | {'yes' if ok else '**no**'} |" for c, v, ok in checks],
        "",
        "## Hold-outs",
        "",
        *sections,
    ]
    lines += ["", NOTES.strip(), ""]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(f"{c}: {v} {'PASS' if ok else 'FAIL'}" for c, v, ok in checks))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
