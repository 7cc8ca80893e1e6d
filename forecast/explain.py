"""What the forecaster learned about each promotion phase: uplift, its interval, intraday shape
and how many past occurrences support it (``peakplan forecast --explain``).

For every family × phase the fitted model knows (:class:`forecast.model.PromoGLM`), on the hours
of its latest occurrence in the history:

* ``uplift``: expected volume with the phase's effect over expected volume without it (the
  same hours, every other term unchanged), mean-weighted: 2.5 means the phase brings 2.5 × an
  ordinary hour's inquiries on average.
* ``uplift_lo_<L>`` / ``uplift_hi_<L>``: central L % interval of the next occurrence's ratio,
  by ``draws`` draws of the phase's own parameters from the fit's quasi-Poisson covariance
  (scale × (X'WX)^-1) times an occurrence-level factor exp(sqrt(v) e), e standard
  normal, or Student-t on ``PromoGLM.occ_dof`` degrees of freedom when v was estimated from a few
  past occurrences (``forecast.calibration.level_alpha``): v is the next
  occurrence's own deviation (``PromoGLM.occ_var``, how much one occurrence's level differed
  from the next) plus the error of the phase's pooled level (``PromoGLM.key_var``, see
  :mod:`forecast.pooling`; ``occ_var / n`` for n past occurrences when not pooled). A phase
  seen once has the widest intervals; that is what a planner needs to know before trusting it.
* ``pooled``: the share of the effect taken from the other families' same phase (0 = its own).
* ``shape_h00`` .. ``shape_h23``: the uplift by hour of day (blank where the phase never ran at
  that hour) and ``peak_hour`` the hour of day where it is largest.
* ``occurrences``: occurrences of the family in the history during which the phase ran.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.calendar import slot_of_week
from forecast.events import event_hits
from forecast.features import design
from forecast.model import PromoGLM

SHAPE_COLUMNS = [f"shape_h{h:02d}" for h in range(24)]


def effect_columns(level: float = 80.0) -> list[str]:
    """Columns of the table :func:`explain_events` returns (event_effects.csv)."""
    return ["family", "phase", "occurrences", "latest_start", "hours", "uplift",
            f"uplift_lo_{level:g}", f"uplift_hi_{level:g}", "peak_hour", "pooled",
            *SHAPE_COLUMNS]


def _covariance(model: PromoGLM, idx: np.ndarray) -> np.ndarray:
    """Covariance of the used parameters ``idx`` (scale × (X'WX)^-1 rows/columns ``idx``)."""
    if model.cov is not None:
        return np.asarray(model.cov)[np.ix_(idx, idx)]
    unit = np.zeros((len(model.params), len(idx)))
    unit[idx, np.arange(len(idx))] = 1.0
    return model._scale * model._lu.solve(unit)[idx]


def explain_events(model: PromoGLM, events: pd.DataFrame, history_ts: pd.Series,
                   level: float = 80.0, draws: int = 400, seed: int = 0) -> pd.DataFrame:
    """One row per learned family × phase (columns in the module docstring), in calendar order
    of the phase's latest occurrence. ``events``: the validated calendar the model was fitted
    with; ``history_ts``: the training timestamps."""
    assert model.spec is not None, "fit first"
    ts = pd.DatetimeIndex(history_ts)
    ts = ts[model.open_mask[slot_of_week(ts, model.res)]]
    hits = event_hits(events, ts).drop_duplicates(["pos", "key"])
    if hits.empty:
        return pd.DataFrame(columns=effect_columns(level))
    hits = hits.assign(occ=events.loc[hits["event_row"].to_numpy(), "occurrence"].to_numpy())
    rng = np.random.default_rng(seed)
    lo_q, hi_q = (100 - level) / 200, 1 - (100 - level) / 200
    rows = []
    for key, grp in hits.groupby("key", sort=False):
        if key not in model.spec.known_keys:
            continue
        latest = grp[grp["occ"] == grp["occ"].max()]
        sub = ts[np.sort(latest["pos"].to_numpy(dtype=int))]
        h_all = event_hits(events, sub).drop_duplicates(["pos", "key"])
        x1 = design(model.spec, sub, h_all)[:, model.used]
        x0 = design(model.spec, sub, h_all[h_all["key"] != key])[:, model.used]
        mu0 = np.exp(np.clip(x0 @ model.params, -30, 30))
        diff = x1 - x0
        mu1 = mu0 * np.exp(diff @ model.params)
        idx = np.flatnonzero(np.abs(diff).sum(axis=0) > 0)
        sims = rng.multivariate_normal(model.params[idx], _covariance(model, idx), size=draws,
                                       method="eigh")
        ratio = (mu0[None, :] * np.exp(sims @ diff[:, idx].T)).sum(axis=1) / mu0.sum()
        n_occ = int(grp["occ"].nunique())
        # next occurrence = the phase's (pooled) mean effect, with its error (key_var, or
        # s²/n unpooled), plus its own occurrence-level deviation (occ_var; in key_var when the
        # model had to estimate it from ordinary days)
        occ = max(model.occ_var, 0.0)
        sd = np.sqrt(occ + model.key_var.get(str(key), occ / n_occ))
        # estimated from occ_dof degrees of freedom: Student-t (calibration.level_alpha)
        t_dof = model.occ_dof if occ > 0 and np.isfinite(model.occ_dof) else None
        dev = rng.standard_t(t_dof, draws) if t_dof else rng.normal(0.0, 1.0, draws)
        ratio *= np.exp(sd * dev)
        by_hour = pd.DataFrame({"h": sub.hour, "m0": mu0, "m1": mu1}).groupby("h").sum()
        shape = (by_hour["m1"] / by_hour["m0"]).reindex(range(24))
        family, phase = str(key).split("|", 1)
        rows.append({
            "family": family, "phase": phase, "occurrences": n_occ,
            "latest_start": sub[0], "hours": len(sub),
            "uplift": float(mu1.sum() / mu0.sum()),
            f"uplift_lo_{level:g}": float(np.quantile(ratio, lo_q)),
            f"uplift_hi_{level:g}": float(np.quantile(ratio, hi_q)),
            "peak_hour": int(shape.idxmax()),
            "pooled": round(1.0 - model.pool_weights.get(str(key), 1.0), 4),
            **dict(zip(SHAPE_COLUMNS, shape.to_numpy(), strict=True)),
        })
    out = pd.DataFrame(rows, columns=effect_columns(level))
    return out.sort_values("latest_start", kind="stable").reset_index(drop=True)


def explain_report(table: pd.DataFrame, level: float = 80.0) -> str:
    """The table as aligned text for the terminal (shape as the peak hour only)."""
    if table.empty or "uplift" not in table:
        return "explain: no event phase in the history: nothing learned"
    lo, hi = f"uplift_lo_{level:g}", f"uplift_hi_{level:g}"
    lines = [f"{'family':<12} {'phase':<16} {'seen':>4} {'uplift':>7}  {level:g} % interval"
             f"      {'largest at':>10}  {'pooled':>6}  {'latest from':<16}"]
    for r in table.itertuples(index=False):
        d = r._asdict()
        lines.append(
            f"{d['family']:<12} {d['phase']:<16} {d['occurrences']:>4} {d['uplift']:>6.2f}x  "
            f"{d[lo]:>5.2f}x .. {d[hi]:>5.2f}x       {d['peak_hour']:02d}:00  "
            f"{d.get('pooled', 0.0):>6.0%}  "
            f"{d['latest_start']:%Y-%m-%d %H:%M}"
        )
    return "\n".join(lines)
