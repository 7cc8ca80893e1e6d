"""Design matrix of the promotion-aware count GLM.

Columns (log link, so every effect is a multiplier on volume):

* ``slot:<k>`` one-hot slot-of-week (hour-of-week for hourly data), open slots only, no
  intercept — the ordinary weekly/intraday pattern.
* ``trend`` years since the first training timestamp (log-linear growth).
* ``ann_sin<k>``/``ann_cos<k>`` annual Fourier terms, only when training spans >= 0.9 year
  (with less, annual seasonality is not identifiable and would extrapolate wildly).
* per event family × phase (*key* ``event|phase``):
  ``ev:<key>:h<hh>`` one column per hour of day seen in the phase — its uplift *and* intraday
  shape (the 00:00 peak, the evening); for phases lasting >= 2 days also ``open<k>``/``last<k>``
  (the first/last four hours: pre-sale opening at 20:00, eve of the peak) and ``progress``
  (0→1 across the phase: build-up or decay).

Carrying effects forward: a future phase of a known key reuses its columns; an hour of day it
never had gets the count-weighted average of its hour columns; an opening/closing hour it never
had (e.g. the 2024 pre-sale started before the history) borrows the same phase name's column
from other families. An unseen phase of a *known* family (the 2024 Double 11 pre-sale started
before the history) borrows, per feature, the average of other families' columns with the same
phase name (``618|presale`` for ``double11|presale``), scaled by how much larger the family's
shared phase effects are (:func:`family_scales`); the model warns when it does. A phase of a
family never seen gets its ``uplift`` or, failing that, no effect and a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecast.calendar import slot_of_week
from forecast.events import event_hits

YEAR = pd.Timedelta(days=365.25)
#: annual Fourier terms need at least this much history (0.9 year: the cycle is nearly closed)
MIN_SPAN_FOURIER = 0.9 * YEAR
#: below this span only FOURIER_SHORT harmonics (more would chase day-level noise at the edges)
FULL_SPAN = 1.5 * YEAR
FOURIER_SHORT = 2
EDGE_HOURS = 4


@dataclass
class DesignSpec:
    """Column layout learned from the training data, reused for prediction."""

    res: pd.Timedelta
    open_slot_ids: np.ndarray  # slot ids with a column, in column order
    t0: pd.Timestamp
    fourier_order: int
    cols: dict[tuple[str, str], int] = field(default_factory=dict)  # (key, feature) -> column
    hod_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> {h..: n}
    names: list[str] = field(default_factory=list)
    #: (target family, source family) -> scale of borrowed log effects (set after the fit)
    family_scale: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def known_keys(self) -> set[str]:
        return set(self.hod_counts)

    @property
    def n_base(self) -> int:
        return len(self.open_slot_ids) + 1 + 2 * self.fourier_order


def _features(hits: pd.DataFrame) -> pd.DataFrame:
    """Long (pos, key, feature, value) rows for event hits."""
    parts = [hits.assign(feat="h" + hits["hod"].astype(int).map("{:02d}".format), value=1.0)]
    lg = hits[hits["long"]]
    for name, col in (("open", "since"), ("last", "until")):
        e = lg[lg[col] < EDGE_HOURS]
        parts.append(e.assign(feat=name + e[col].astype(int).astype(str), value=1.0))
    parts.append(lg.assign(feat="progress", value=lg["progress"]))
    out = pd.concat(parts, ignore_index=True)
    return out[["pos", "key", "feat", "value"]]


def _base_block(spec: DesignSpec, ts: pd.DatetimeIndex) -> np.ndarray:
    n_slot = len(spec.open_slot_ids)
    lookup = np.full(7 * 24 * 60, -1, dtype=np.int64)
    lookup[spec.open_slot_ids] = np.arange(n_slot)
    x = np.zeros((len(ts), spec.n_base))
    idx = lookup[slot_of_week(ts, spec.res)]
    ok = idx >= 0
    x[np.flatnonzero(ok), idx[ok]] = 1.0
    x[:, n_slot] = np.asarray((ts - spec.t0) / YEAR, dtype=float)
    doy = 2 * np.pi * np.asarray((ts - pd.Timestamp(2000, 1, 1)) / YEAR, dtype=float)
    for k in range(1, spec.fourier_order + 1):
        x[:, n_slot + 2 * k - 1] = np.sin(k * doy)
        x[:, n_slot + 2 * k] = np.cos(k * doy)
    return x


def fit_spec(
    ts: pd.DatetimeIndex, res: pd.Timedelta, open_mask: np.ndarray, events: pd.DataFrame | None,
    fourier_order: int = 3,
) -> tuple[DesignSpec, pd.DataFrame]:
    """Learn the column layout from training timestamps; returns (spec, training event hits)."""
    span = ts[-1] - ts[0]
    order = 0 if span < MIN_SPAN_FOURIER else FOURIER_SHORT if span < FULL_SPAN else fourier_order
    spec = DesignSpec(res=res, open_slot_ids=np.flatnonzero(open_mask), t0=ts[0],
                      fourier_order=order)
    spec.names = [f"slot:{s}" for s in spec.open_slot_ids] + ["trend"]
    for k in range(1, order + 1):
        spec.names += [f"ann_sin{k}", f"ann_cos{k}"]
    hits = event_hits(events, ts).drop_duplicates(["pos", "key"])
    if hits.empty:
        return spec, hits
    feats = _features(hits)
    for (key, feat), n in feats.groupby(["key", "feat"], sort=True).size().items():
        spec.cols[(key, feat)] = len(spec.names)
        spec.names.append(f"ev:{key}:{feat}")
        if feat.startswith("h"):
            spec.hod_counts.setdefault(key, {})[feat] = int(n)
    return spec, hits


def borrowable(spec: DesignSpec, key: str) -> list[str]:
    """Known keys of *other* families with the same phase name (e.g. ``618|presale``)."""
    phase = key.split("|", 1)[1]
    return sorted(k for k in spec.known_keys if k != key and k.split("|", 1)[1] == phase)


def resolve(spec: DesignSpec, key: str, feat: str) -> list[tuple[int, float]]:
    """Columns and weights that represent ``feat`` of ``key`` (see module docstring)."""
    if (key, feat) in spec.cols:
        return [(spec.cols[(key, feat)], 1.0)]
    own = key in spec.known_keys
    if feat.startswith("h") and own:
        cnt = spec.hod_counts[key]
        tot = sum(cnt.values())
        return [(spec.cols[(key, f)], n / tot) for f, n in cnt.items()]
    fam = key.split("|", 1)[0]
    others = borrowable(spec, key)

    def scale(k: str) -> float:
        return spec.family_scale.get((fam, k.split("|", 1)[0]), 1.0)

    have = [k for k in others if (k, feat) in spec.cols]
    if have:
        return [(spec.cols[(k, feat)], scale(k) / len(have)) for k in have]
    if feat.startswith("h") and others:
        pairs = [(k, f, n) for k in others for f, n in spec.hod_counts[k].items()]
        tot = sum(n for _, _, n in pairs)
        return [(spec.cols[(k, f)], scale(k) * n / tot) for k, f, n in pairs]
    return []


def family_scales(spec: DesignSpec, params: dict[str, float]) -> dict[tuple[str, str], float]:
    """How much bigger family A's phase effects are than family B's, on the log scale.

    Least-squares slope through the origin of A's hour-of-day effects on B's over the
    (phase, hour) columns they share (at least 6), clipped to [0.25, 4]. Used to scale an effect
    borrowed from B (e.g. Double 11 pre-sale borrowed from 618's when Double 11's is unseen).
    """
    by_fam: dict[str, dict[tuple[str, str], float]] = {}
    for (key, feat), _ in spec.cols.items():
        if feat.startswith("h") and f"ev:{key}:{feat}" in params:
            fam, phase = key.split("|", 1)
            by_fam.setdefault(fam, {})[(phase, feat)] = params[f"ev:{key}:{feat}"]
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
