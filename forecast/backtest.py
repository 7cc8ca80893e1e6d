"""Rolling-origin backtest: train to a cut-off, forecast the next N days, repeat.

With ``cutoffs_or_n`` an integer n, the cut-offs are the last n non-overlapping windows that end
at the last history timestamp: cut-off_k = last - k * horizon (k = n..1), so fold 1 is the
oldest. A list of timestamps gives the cut-offs directly. Training uses rows with
``timestamp <= cutoff``; the test window is (cutoff, cutoff + horizon_days]. Only actual rows
are scored; absent hours are not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast.columns import DEFAULT_LEVELS, level_name
from forecast.errors import ForecastInputError
from forecast.metrics import bias, coverage, wape

COLUMNS = ["fold", "queue", "cutoff", "test_end", "n", "actual", "wape", "bias", "coverage_80",
           "coverage_95"]


def _cutoffs(last: pd.Timestamp, n: int, horizon: pd.Timedelta) -> list[pd.Timestamp]:
    if n < 1:
        raise ForecastInputError(f"backtest: number of folds must be >= 1, got {n}")
    return [last - k * horizon for k in range(n, 0, -1)]


def backtest(
    history: pd.DataFrame,
    events: pd.DataFrame | None,
    cutoffs_or_n: int | Sequence[pd.Timestamp | str],
    horizon_days: float = 28,
    levels: Sequence[float] = DEFAULT_LEVELS,
) -> pd.DataFrame:
    """Per-fold metrics plus a last row ``fold == "all"`` pooled over every fold's errors.

    Columns: fold, queue (None without queues), cutoff, test_end, n (scored rows), actual
    (sum of actual volume), wape, bias (relative), coverage_<L> for each level.
    """
    # the model (statsmodels) loads on first use, so ``import forecast`` stays light
    from forecast.api import _as_events, _as_history, check_levels, predict_frame
    from forecast.model import PromoGLM

    hist = _as_history(history)
    ev = _as_events(events)
    lv = check_levels(levels)
    horizon = pd.Timedelta(days=float(horizon_days))
    if horizon <= pd.Timedelta(0):
        raise ForecastInputError(f"horizon-days: must be positive, got {horizon_days!r}")
    queues = [None] if "queue" not in hist else list(dict.fromkeys(hist["queue"]))
    rows, pooled = [], []
    for q in queues:
        part = hist if q is None else hist[hist["queue"] == q]
        if isinstance(cutoffs_or_n, int | np.integer):
            cuts = _cutoffs(part["timestamp"].max(), int(cutoffs_or_n), horizon)
        else:
            cuts = [pd.Timestamp(c) for c in cutoffs_or_n]
        for i, cut in enumerate(cuts, start=1):
            train = part[part["timestamp"] <= cut]
            test = part[(part["timestamp"] > cut) & (part["timestamp"] <= cut + horizon)]
            if len(train) < 2 or test.empty:
                raise ForecastInputError(
                    f"backtest: fold {i} (cut-off {cut.isoformat()}) has no training or test data"
                )
            model = PromoGLM().fit(train["timestamp"], train["volume"], ev)
            f = predict_frame(model, cut, cut + horizon, ev, lv,
                              timestamps=pd.DatetimeIndex(test["timestamp"]))
            a = test["volume"].to_numpy()
            pooled.append((q, a, f))
            rows.append(_row(i, q, cut, cut + horizon, a, f, lv))
    a_all = np.concatenate([p[1] for p in pooled])
    f_all = pd.concat([p[2] for p in pooled], ignore_index=True)
    rows.append(_row("all", None, pd.NaT, pd.NaT, a_all, f_all, lv))
    return pd.DataFrame(rows)


def _row(fold, queue, cut, end, a: np.ndarray, f: pd.DataFrame, lv: list[float]) -> dict:
    r = {"fold": str(fold), "queue": queue, "cutoff": cut, "test_end": end, "n": len(a),
         "actual": float(a.sum()), "wape": wape(a, f["volume"]), "bias": bias(a, f["volume"])}
    for v in lv:
        n = level_name(v)
        r[f"coverage_{n}"] = coverage(a, f[f"lower_{n}"], f[f"upper_{n}"])
    return r


def cli_backtest_report(df: pd.DataFrame) -> str:
    """Plain-text table of a :func:`backtest` frame for the CLI (one line per fold)."""
    cov_cols = [c for c in df.columns if c.startswith("coverage_")]
    head = f"{'fold':>5} {'queue':>10} {'cutoff':>16} {'n':>6} {'WAPE':>7} {'bias':>7}" + "".join(
        f" {'cov' + c.removeprefix('coverage_'):>7}" for c in cov_cols
    )
    lines = [head]
    for _, r in df.iterrows():
        cut = "" if pd.isna(r["cutoff"]) else pd.Timestamp(r["cutoff"]).strftime("%Y-%m-%d %H:%M")
        q = "" if r["queue"] is None or pd.isna(r["queue"]) else str(r["queue"])
        line = (f"{r['fold']:>5} {q:>10} {cut:>16} {int(r['n']):>6} {r['wape']:>7.1%} "
                f"{r['bias']:>+7.1%}")
        line += "".join(f" {r[c]:>7.1%}" for c in cov_cols)
        lines.append(line)
    return "\n".join(lines)
