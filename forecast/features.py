"""Design matrix of the promotion-aware count GLM (compact: about 150-250 columns).

Columns (log link, so every effect is a multiplier on volume):

* the ordinary weekly pattern (:class:`forecast.basis.WeekLayout`): ``tod:<k>`` time-of-day
  intercepts (no global intercept), ``weekend:<k>`` the weekend's intraday shift, ``dow:<d>``
  day-of-week levels;
* ``trend`` years since the first training timestamp (log-linear growth);
* ``ann_sin<k>``/``ann_cos<k>`` annual Fourier terms, only when training spans >= 0.9 year
  (with less, annual seasonality is not identifiable and would extrapolate wildly);
* per event family × phase (*key* ``event|phase``) its hour-of-day profile — uplift *and*
  intraday shape (the evening of the main day): ``ev:<key>:s<k>``, a periodic cubic spline of
  ``SPLINE_DF`` functions (:func:`forecast.basis.periodic_spline`), or ``ev:<key>:h<hh>`` one
  column per hour for a phase seen on at most ``SPLINE_DF`` hours of the day (the two-hour 00:00
  peak keeps its exact hours); a spline phase also gets ``ev:<key>:h<hh>`` for up to
  ``SPIKES_MAX`` hours that stand out of its smooth profile (:func:`_spike_hours`: a 20:00
  livestream drop every evening of a flash sale); for phases lasting >= 2 days also
  ``open0``/``open2`` and ``last0``/``last2`` (the first/last four hours in pairs: pre-sale
  opening at 20:00, eve of the peak) and ``progress`` (0→1 across the phase: build-up or decay).

Features are named per hour (``h<hh>``) whatever the basis; :func:`resolve` maps a key's hour to
its columns and weights. Carrying effects forward: a future phase of a known key reuses its
columns; an hour of day it never had gets the count-weighted average of its seen hours' effects;
an opening/closing hour it never had (e.g. the 2024 pre-sale started before the history) borrows
the same phase name's column from other families. An unseen phase of a *known* family (the 2024
Double 11 pre-sale started before the history) borrows, per feature, the average of other
families' effects with the same phase name (``618|presale`` for ``double11|presale``), scaled by
how much larger the family's shared phase effects are (:func:`family_scales`); the model warns
when it does. A phase of a family never seen gets its ``uplift`` or, failing that, no effect and
a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecast.basis import SPLINE_DF, WeekLayout, periodic_spline, week_block, week_layout
from forecast.calendar import slot_of_week, slots_per_week
from forecast.events import event_hits

YEAR = pd.Timedelta(days=365.25)
#: annual Fourier terms need at least this much history (0.9 year: the cycle is nearly closed)
MIN_SPAN_FOURIER = 0.9 * YEAR
#: below this span only FOURIER_SHORT harmonics (more would chase day-level noise at the edges)
FULL_SPAN = 1.5 * YEAR
FOURIER_SHORT = 2
EDGE_HOURS = 4
#: a phase hour whose crude log uplift is this far from the phase's spline gets its own column
SPIKE_LOG = 0.2
SPIKES_MAX = 2
SPIKE_SDS = 4.0
EDGE_STEP = 2  # opening/closing hours in pairs: the first two hours, the next two


@dataclass
class DesignSpec:
    """Column layout learned from the training data, reused for prediction."""

    res: pd.Timedelta
    week: WeekLayout
    t0: pd.Timestamp
    fourier_order: int
    cols: dict[tuple[str, str], int] = field(default_factory=dict)  # (key, feature) -> column
    hod_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> {h..: n}
    spline_keys: set[str] = field(default_factory=set)  # keys whose hours are spline columns
    names: list[str] = field(default_factory=list)
    #: (target family, source family) -> scale of borrowed log effects (set after the fit)
    family_scale: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def known_keys(self) -> set[str]:
        return set(self.hod_counts)

    @property
    def n_intercepts(self) -> int:
        """The time-of-day intercept columns come first."""
        return len(self.week.tod)

    @property
    def trend_col(self) -> int:
        return self.week.size

    @property
    def n_base(self) -> int:
        return self.week.size + 1 + 2 * self.fourier_order


def _features(hits: pd.DataFrame) -> pd.DataFrame:
    """Long (pos, key, feature, value) rows for event hits."""
    parts = [hits.assign(feat="h" + hits["hod"].astype(int).map("{:02d}".format), value=1.0)]
    lg = hits[hits["long"]]
    for name, col in (("open", "since"), ("last", "until")):
        e = lg[lg[col] < EDGE_HOURS]
        first = (e[col].astype(int) // EDGE_STEP) * EDGE_STEP
        parts.append(e.assign(feat=name + first.astype(str), value=1.0))
    parts.append(lg.assign(feat="progress", value=lg["progress"]))
    out = pd.concat(parts, ignore_index=True)
    return out[["pos", "key", "feat", "value"]]


def _base_block(spec: DesignSpec, ts: pd.DatetimeIndex) -> np.ndarray:
    x = np.zeros((len(ts), spec.n_base))
    n_week = spec.week.size
    x[:, :n_week] = week_block(spec.week, ts, spec.res)
    x[:, n_week] = np.asarray((ts - spec.t0) / YEAR, dtype=float)
    doy = 2 * np.pi * np.asarray((ts - pd.Timestamp(2000, 1, 1)) / YEAR, dtype=float)
    for k in range(1, spec.fourier_order + 1):
        x[:, n_week + 2 * k - 1] = np.sin(k * doy)
        x[:, n_week + 2 * k] = np.cos(k * doy)
    return x


def _spike_hours(hits: pd.DataFrame, y: np.ndarray, base: np.ndarray, hours: list[str]
                 ) -> list[str]:
    """Hours of day where a phase's crude uplift stands out of its smooth spline profile.

    Crude uplift per hour: log(sum y / sum ordinary-slot mean) over the phase's hits; the
    spline is fitted to it by count-weighted least squares; hours whose residual exceeds
    ``SPIKE_LOG`` and ``SPIKE_SDS`` robust standard deviations of all hours' residuals (noise
    of a phase seen on one day is not a spike; at most ``SPIKES_MAX``, largest first) get their
    own column: a flash sale's 20:00 livestream drop every evening, which a 3-hour-knot spline
    would smear.
    """
    pos = hits["pos"].to_numpy(dtype=np.int64)
    g = pd.DataFrame({"h": hits["hod"].to_numpy(), "y": y[pos], "b": base[pos]})
    g = g.groupby("h").sum()
    g = g[(g["y"] > 0) & (g["b"] > 0)]
    if len(g) <= SPLINE_DF:
        return []
    r = np.log(g["y"] / g["b"]).to_numpy()
    b = periodic_spline(g.index.to_numpy())
    w = np.sqrt(np.bincount(hits["hod"].to_numpy(), minlength=24)[g.index.to_numpy()])
    coef = np.linalg.lstsq(b * w[:, None], r * w, rcond=None)[0]
    resid = r - b @ coef
    spread = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))  # robust sd
    order = np.argsort(-np.abs(resid))[:SPIKES_MAX]
    out = [f"h{int(g.index[i]):02d}" for i in order
           if abs(resid[i]) > max(SPIKE_LOG, SPIKE_SDS * spread)]
    return sorted(f for f in out if f in hours)


def _ordinary_rate(ts: pd.DatetimeIndex, res: pd.Timedelta, y: np.ndarray,
                   hits: pd.DataFrame) -> np.ndarray:
    """Per row, the mean volume of its slot of the week over the rows outside every event."""
    slot = slot_of_week(ts, res)
    plain = np.ones(len(ts), dtype=bool)
    plain[hits["pos"].to_numpy(dtype=np.int64)] = False
    n = slots_per_week(res)
    tot = np.bincount(slot[plain], weights=y[plain], minlength=n)
    cnt = np.bincount(slot[plain], minlength=n)
    return (tot / np.maximum(cnt, 1))[slot]


def fit_spec(
    ts: pd.DatetimeIndex, res: pd.Timedelta, open_mask: np.ndarray, events: pd.DataFrame | None,
    fourier_order: int = 3, y: np.ndarray | None = None,
) -> tuple[DesignSpec, pd.DataFrame]:
    """Learn the column layout from training timestamps (and volumes ``y``, which place the
    spike-hour columns); returns (spec, training event hits)."""
    span = ts[-1] - ts[0]
    order = 0 if span < MIN_SPAN_FOURIER else FOURIER_SHORT if span < FULL_SPAN else fourier_order
    spec = DesignSpec(res=res, week=week_layout(open_mask, res), t0=ts[0], fourier_order=order)
    spec.names = [*spec.week.names, "trend"]
    for k in range(1, order + 1):
        spec.names += [f"ann_sin{k}", f"ann_cos{k}"]
    hits = event_hits(events, ts).drop_duplicates(["pos", "key"])
    if hits.empty:
        return spec, hits
    feats = _features(hits)
    counts = feats.groupby(["key", "feat"], sort=True).size()
    base = None if y is None else _ordinary_rate(ts, res, np.asarray(y, dtype=float), hits)
    for key, grp in counts.groupby(level="key", sort=True):
        hours = {f: int(n) for (_, f), n in grp.items() if f.startswith("h")}
        spec.hod_counts[key] = hours
        if len(hours) > SPLINE_DF:
            spec.spline_keys.add(key)
            support = periodic_spline(np.array([int(f[1:]) for f in hours])).any(axis=0)
            own = [f"s{k}" for k in np.flatnonzero(support)]
            if base is not None:
                own += _spike_hours(hits[hits["key"] == key], y, base, list(hours))
        else:
            own = list(hours)
        for feat in own + [f for (_, f) in grp.index if not f.startswith("h")]:
            spec.cols[(key, feat)] = len(spec.names)
            spec.names.append(f"ev:{key}:{feat}")
    return spec, hits


def borrowable(spec: DesignSpec, key: str) -> list[str]:
    """Known keys of *other* families with the same phase name (e.g. ``618|presale``)."""
    phase = key.split("|", 1)[1]
    return sorted(k for k in spec.known_keys if k != key and k.split("|", 1)[1] == phase)


def _merge(terms: list[tuple[int, float]]) -> list[tuple[int, float]]:
    out: dict[int, float] = {}
    for col, w in terms:
        out[col] = out.get(col, 0.0) + w
    return list(out.items())


def _seen_hour(spec: DesignSpec, key: str, feat: str) -> list[tuple[int, float]]:
    """Columns and weights of hour ``feat`` (``hHH``) of ``key``, an hour the key was seen at."""
    if key not in spec.spline_keys:
        return [(spec.cols[(key, feat)], 1.0)]
    b = periodic_spline(np.array([int(feat[1:])]))[0]
    spike = [(spec.cols[(key, feat)], 1.0)] if (key, feat) in spec.cols else []
    return [(spec.cols[(key, f"s{k}")], float(b[k])) for k in np.flatnonzero(b > 0)] + spike


def _average_hours(spec: DesignSpec, keys: list[str], scale) -> list[tuple[int, float]]:
    """Count-weighted average over the seen hours of ``keys`` (each scaled by ``scale(key)``)."""
    pairs = [(k, f, n) for k in keys for f, n in spec.hod_counts[k].items()]
    tot = sum(n for _, _, n in pairs)
    return _merge([(c, scale(k) * n / tot * w) for k, f, n in pairs
                   for c, w in _seen_hour(spec, k, f)])


def resolve(spec: DesignSpec, key: str, feat: str) -> list[tuple[int, float]]:
    """Columns and weights that represent ``feat`` of ``key`` (see module docstring)."""
    hour = feat.startswith("h")
    if key in spec.known_keys:
        if hour and feat in spec.hod_counts[key]:
            return _seen_hour(spec, key, feat)
        if hour:
            return _average_hours(spec, [key], lambda k: 1.0)
        if (key, feat) in spec.cols:
            return [(spec.cols[(key, feat)], 1.0)]
    fam = key.split("|", 1)[0]
    others = borrowable(spec, key)

    def scale(k: str) -> float:
        return spec.family_scale.get((fam, k.split("|", 1)[0]), 1.0)

    if hour:
        have = [k for k in others if feat in spec.hod_counts[k]]
        if have:
            return _merge([(c, scale(k) / len(have) * w) for k in have
                           for c, w in _seen_hour(spec, k, feat)])
        return _average_hours(spec, others, scale) if others else []
    have = [k for k in others if (k, feat) in spec.cols]
    return [(spec.cols[(k, feat)], scale(k) / len(have)) for k in have]


def hour_effects(spec: DesignSpec, params: dict[str, float]) -> dict[str, dict[str, float]]:
    """Per known key, its log effect at each hour of day it was seen (``hHH`` -> effect)."""
    out: dict[str, dict[str, float]] = {}
    for key, hours in spec.hod_counts.items():
        out[key] = {f: sum(w * params.get(spec.names[c], 0.0) for c, w in
                           _seen_hour(spec, key, f)) for f in hours}
    return out


def hour_map(spec: DesignSpec, key: str) -> tuple[list[str], list[int], np.ndarray]:
    """(seen hours, hour columns, matrix M) with the key's hour effects = ``M @ params[cols]``."""
    hours = sorted(spec.hod_counts[key])
    terms = [dict(_seen_hour(spec, key, f)) for f in hours]
    cols = sorted({c for t in terms for c in t})
    m = np.array([[t.get(c, 0.0) for c in cols] for t in terms])
    return hours, cols, m


def family_scales(spec: DesignSpec, params: dict[str, float]) -> dict[tuple[str, str], float]:
    """How much bigger family A's phase effects are than family B's, on the log scale.

    Least-squares slope through the origin of A's hour-of-day effects on B's over the
    (phase, hour) pairs they share (at least 6), clipped to [0.25, 4]. Used to scale an effect
    borrowed from B (e.g. Double 11 pre-sale borrowed from 618's when Double 11's is unseen).
    """
    by_fam: dict[str, dict[tuple[str, str], float]] = {}
    for key, hours in hour_effects(spec, params).items():
        fam, phase = key.split("|", 1)
        for feat, value in hours.items():
            by_fam.setdefault(fam, {})[(phase, feat)] = value
    out = {}
    for a, ea in by_fam.items():
        for b, eb in by_fam.items():
            shared = sorted(set(ea) & set(eb))
            if a == b or len(shared) < 6:
                continue
            va = np.array([ea[s] for s in shared])
            vb = np.array([eb[s] for s in shared])
            if float(vb @ vb) > 0:
                out[(a, b)] = float(np.clip(va @ vb / (vb @ vb), 0.25, 4.0))
    return out


def can_represent(spec: DesignSpec, key: str) -> bool:
    """True when ``key`` was learned or can borrow from another family's same phase."""
    return key in spec.known_keys or bool(borrowable(spec, key))


def design(spec: DesignSpec, ts: pd.DatetimeIndex, hits: pd.DataFrame) -> np.ndarray:
    """Design matrix for ``ts`` given its (already filtered) event hits."""
    x = np.zeros((len(ts), len(spec.names)))
    x[:, : spec.n_base] = _base_block(spec, ts)
    if hits.empty:
        return x
    feats = _features(hits.drop_duplicates(["pos", "key"]))
    for (key, feat), grp in feats.groupby(["key", "feat"], sort=False):
        pos = grp["pos"].to_numpy(dtype=np.int64)
        val = grp["value"].to_numpy(dtype=float)
        for col, w in resolve(spec, str(key), str(feat)):
            x[pos, col] += w * val
    return x
