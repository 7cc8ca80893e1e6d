"""Seeded generator of the bundled sample data: a mid-size Tmall apparel shop's customer service.

Everything is synthetic and deterministic for a given ``seed`` (numpy ``default_rng``, separate
streams per component, no dict/set ordering). Files written by :func:`generate_sample_data`
(UTF-8 with BOM, ISO-8601 naive Asia/Shanghai local times), documented in
``data/sample/README.md``:

- ``history.csv``  ``timestamp,volume``: inquiries per hour (all chats reaching customer service,
  before bot deflection), 2024-11-01T00:00 .. 2026-10-31T23:00; outage hours are absent rows.
- ``events.csv``   ``event,phase,start,end``: promotion / Chinese-New-Year calendar.
- ``agents.csv``   the named agents (see :mod:`scenarios.samples.agents`).
- ``actuals/*.csv`` what happened in the 2026-11-01..11-14 demo campaign
  (see :mod:`scenarios.samples.actuals`).

Volume model (inquiries per hour):
``mean(t) = base_level(date) x ordinary_shape(weekday, hour) x promo(t) x day_noise(date)``,
then a negative-binomial draw (Poisson with gamma-distributed rate, shape ``NB_SHAPE``).
``promo(t)`` comes from the phase profiles in :data:`PHASES`: a multiplier of the ordinary
volume interpolated through knots over the phase, and for spike hours an explicit level in
"ordinary mean hours" (e.g. 15 = fifteen times the day's ordinary mean hour). Each occurrence
(family x year) gets its own size factor (lognormal, sigma ``YEAR_SIGMA``).

Run ``python -m scenarios.samples.generate --out data/sample`` (or ``peakplan sample-data``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from scenarios import file_output, output
from scenarios.io import neutralise_formulas
from scenarios.samples.actuals import CAMPAIGN_END, CAMPAIGN_START, simulate_actuals
from scenarios.samples.agents import make_agents

__all__ = [
    "generate_sample_data",
    "make_events",
    "make_history",
    "make_agents",
    "make_actuals",
    "hourly_mean",
    "HISTORY_START",
    "HISTORY_END",
]

HISTORY_START = pd.Timestamp("2024-11-01T00:00")
HISTORY_END = pd.Timestamp("2026-10-31T23:00")
#: Noise is always drawn over [HISTORY_START, MODEL_END] so any slice is identical to the full file.
MODEL_END = pd.Timestamp("2026-12-31T23:00")

BASE_MEAN_HOUR = 235.0  # inquiries/hour: ordinary mean hour at TREND_ANCHOR before seasonality
TREND_ANCHOR = pd.Timestamp("2025-05-01")
TREND_PER_YEAR = 0.12  # +12 %/year
NB_SHAPE = 200.0  # negative-binomial shape k: variance = mu + mu^2 / k
DAY_AR = 0.5  # AR(1) coefficient of the log day-level noise
DAY_SIGMA = 0.045  # innovation sd of the log day-level noise
YEAR_SIGMA = 0.06  # sd of the log size factor of one event occurrence (about +-10 %)
N_OUTAGES = 5

#: Ordinary weekday intraday volume (inquiries/hour on a ~6,100-inquiry day), hour 0..23.
_WEEKDAY_HOURS = np.array(
    [220, 120, 60, 35, 28, 30, 45, 110, 230, 360, 400, 370,
     250, 280, 360, 380, 350, 290, 260, 330, 430, 460, 400, 320], dtype=float,
)
#: Day totals relative to an average day, Mon..Sun.
_WEEKDAY_TOTAL = np.array([1.05, 1.02, 1.00, 0.99, 0.96, 0.93, 1.03])


def _weekly_shape() -> np.ndarray:
    """7 x 24 intraday shape (mean 1 per day) by weekday (0=Mon) and hour."""
    shape = np.tile(_WEEKDAY_HOURS, (7, 1))
    shape[4, 19:24] *= 0.92  # Friday evening out
    shape[5, 7:13] *= 0.78  # Saturday late morning
    shape[5, 13:24] *= 1.05
    shape[6, 7:12] *= 0.85  # Sunday: slow morning, busy evening
    shape[6, 19:24] *= 1.18
    return shape / shape.mean(axis=1, keepdims=True)


@dataclass(frozen=True)
class PhaseSpec:
    """One phase of an event family, placed in a given year by ``start``/``end`` (``MM-DD HH:MM``).

    ``knots``: multipliers of the ordinary volume spread evenly over the phase (log-linear in
    between). ``head``/``tail``: levels, in ordinary mean hours, that replace the first/last hours.
    """

    family: str
    phase: str
    start: str
    end: str
    knots: tuple[float, ...] = (1.0,)
    head: tuple[float, ...] = ()
    tail: tuple[float, ...] = ()


_D11_MAIN = (5.0, 3.0, 2.0, 1.8, 2.0, 2.5, 3.5, 4.5, 4.5, 4.5, 3.8,
             4.2, 4.2, 4.2, 4.2, 3.6, 3.6, 3.6, 4.5, 4.5, 4.5, 4.0)  # 02:00..23:00

PHASES: tuple[PhaseSpec, ...] = (
    PhaseSpec("double11", "presale", "10-20 20:00", "10-31 19:59", (1.40, 1.30),
              head=(5.0, 4.2, 3.0, 2.4)),
    PhaseSpec("double11", "deposit_payment", "10-31 20:00", "11-10 23:59", (1.50, 1.95),
              head=(6.0, 5.0, 3.5, 2.8), tail=(3.5, 4.0, 4.5, 5.5)),
    PhaseSpec("double11", "peak", "11-11 00:00", "11-11 01:59", head=(17.0, 11.5)),
    PhaseSpec("double11", "main", "11-11 02:00", "11-11 23:59", head=_D11_MAIN),
    PhaseSpec("double11", "tail", "11-12 00:00", "11-13 23:59", (2.6, 1.6)),
    PhaseSpec("double11", "after_sales", "11-14 00:00", "11-27 23:59", (1.6, 1.25, 1.05)),
    PhaseSpec("618", "presale", "05-20 20:00", "05-31 19:59", (1.20, 1.15),
              head=(3.0, 2.6, 2.0, 1.7)),
    PhaseSpec("618", "deposit_payment", "05-31 20:00", "06-17 23:59", (1.30, 1.60),
              head=(4.0, 3.4, 2.6, 2.0), tail=(2.4, 2.8, 3.0, 3.6)),
    PhaseSpec("618", "peak", "06-18 00:00", "06-18 01:59", head=(8.0, 5.5)),
    PhaseSpec("618", "main", "06-18 02:00", "06-18 23:59", head=tuple(0.55 * x for x in _D11_MAIN)),
    PhaseSpec("618", "tail", "06-19 00:00", "06-20 23:59", (1.8, 1.3)),
    PhaseSpec("618", "after_sales", "06-21 00:00", "06-30 23:59", (1.35, 1.03)),
    PhaseSpec("double12", "presale", "12-08 00:00", "12-11 23:59", (1.15,),
              tail=(1.8, 2.0, 2.2, 2.6)),
    PhaseSpec("double12", "peak", "12-12 00:00", "12-12 01:59", head=(5.0, 3.2)),
    PhaseSpec("double12", "main", "12-12 02:00", "12-12 23:59",
              head=tuple(0.4 * x for x in _D11_MAIN)),
    PhaseSpec("double12", "tail", "12-13 00:00", "12-14 23:59", (1.5, 1.15)),
    PhaseSpec("womens_day", "presale", "03-05 20:00", "03-07 23:59", (1.12,)),
    PhaseSpec("womens_day", "peak", "03-08 00:00", "03-08 00:59", head=(3.0,)),
    PhaseSpec("womens_day", "main", "03-08 01:00", "03-08 23:59", (1.45,)),
    PhaseSpec("womens_day", "tail", "03-09 00:00", "03-10 23:59", (1.2, 1.05)),
)
#: Years in which each family is placed (events.csv covers 2024-11 .. 2026-12).
FAMILY_YEARS: dict[str, tuple[int, ...]] = {
    "double11": (2024, 2025, 2026),
    "618": (2025, 2026),
    "double12": (2024, 2025, 2026),
    "womens_day": (2025, 2026),
}
#: Chinese New Year (Spring Festival) days; couriers stop around them.
CNY_DAYS: tuple[str, ...] = ("2025-01-29", "2026-02-17")
#: Courier stop (CNY-8 .. CNY+6) then the backlog (CNY+7 .. CNY+16).
CNY_CLOSURE_KNOTS = (0.80, 0.45, 0.25, 0.22, 0.35, 0.60)
CNY_BACKLOG_KNOTS = (1.45, 1.20, 1.05)


def _event_specs() -> list[tuple[str, str, pd.Timestamp, pd.Timestamp, PhaseSpec]]:
    """(family, phase, start, end, spec) for every placed phase, sorted by start then family."""
    rows = []
    for spec in PHASES:
        for year in FAMILY_YEARS[spec.family]:
            start = pd.Timestamp(f"{year}-{spec.start}")
            end = pd.Timestamp(f"{year}-{spec.end}")
            rows.append((spec.family, spec.phase, start, end, spec))
    for day in CNY_DAYS:
        d = pd.Timestamp(day)
        closure = PhaseSpec("cny", "closure", "", "", CNY_CLOSURE_KNOTS)
        backlog = PhaseSpec("cny", "backlog", "", "", CNY_BACKLOG_KNOTS)
        minute = pd.Timedelta(minutes=1)
        rows.append(("cny", "closure", d - pd.Timedelta(days=8), d + pd.Timedelta(days=7) - minute,
                     closure))
        rows.append(("cny", "backlog", d + pd.Timedelta(days=7), d + pd.Timedelta(days=17) - minute,
                     backlog))
    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    return rows


def make_events() -> pd.DataFrame:
    """The promotion calendar: ``event,phase,start,end`` (inclusive, naive local datetimes).

    ``event`` is the family (``double11``, ``618``, ``double12``, ``womens_day``, ``cny``); one
    row per phase of each year's occurrence, sorted by start.
    """
    rows = _event_specs()
    return pd.DataFrame(
        {
            "event": [r[0] for r in rows],
            "phase": [r[1] for r in rows],
            "start": pd.DatetimeIndex([r[2] for r in rows]),
            "end": pd.DatetimeIndex([r[3] for r in rows]),
        }
    )


def _occurrence_factors(seed: int) -> dict[tuple[str, int], float]:
    """Size factor of each (family, year) occurrence, lognormal around 1 (sd YEAR_SIGMA)."""
    keys = sorted({(r[0], r[2].year) for r in _event_specs()})
    draws = np.random.default_rng([seed, 7]).normal(0.0, YEAR_SIGMA, size=len(keys))
    return {k: float(np.exp(x)) for k, x in zip(keys, draws, strict=True)}


def _promo_multiplier(index: pd.DatetimeIndex, shape: np.ndarray, seed: int) -> np.ndarray:
    """Multiplier of the ordinary volume per hour from every event phase (1 outside events)."""
    promo = np.ones(len(index))
    factors = _occurrence_factors(seed)
    stamps = index.to_numpy()
    for family, _phase, start, end, spec in _event_specs():
        lo = int(np.searchsorted(stamps, start.to_datetime64(), side="left"))
        hi = int(np.searchsorted(stamps, end.to_datetime64(), side="right"))
        if hi <= lo:
            continue
        f = factors[(family, start.year)]
        n_phase = int((end - start) / pd.Timedelta(hours=1)) + 1
        pos = np.arange(lo, hi) - lo + int((index[lo] - start) / pd.Timedelta(hours=1))
        knots = np.log(np.asarray(spec.knots))
        grid = np.linspace(0.0, 1.0, len(knots)) if len(knots) > 1 else np.zeros(1)
        frac = pos / max(n_phase - 1, 1)
        mult = np.exp(np.interp(frac, grid, knots))
        value = 1.0 + (mult - 1.0) * f
        head, tail = np.asarray(spec.head), np.asarray(spec.tail)
        in_head = pos < len(head)
        value[in_head] = head[pos[in_head]] * f / shape[lo:hi][in_head]
        tail_pos = pos - (n_phase - len(tail))
        in_tail = tail_pos >= 0
        value[in_tail] = tail[tail_pos[in_tail]] * f / shape[lo:hi][in_tail]
        promo[lo:hi] = value
    return promo


def _base_level(days: pd.DatetimeIndex) -> np.ndarray:
    """Ordinary mean hour (inquiries/hour) per date: trend x annual seasonality x weekday total."""
    years = (days - TREND_ANCHOR) / pd.Timedelta(days=365.25)
    trend = np.exp(np.log1p(TREND_PER_YEAR) * years.to_numpy(dtype=float))
    doy = days.day_of_year.to_numpy(dtype=float)
    season = (1.0 + 0.07 * np.cos(2 * np.pi * (doy - 330) / 365.25)
              + 0.03 * np.cos(4 * np.pi * (doy - 95) / 365.25))
    return BASE_MEAN_HOUR * trend * season * _WEEKDAY_TOTAL[days.day_of_week.to_numpy()]


def _model_index() -> pd.DatetimeIndex:
    return pd.date_range(HISTORY_START, MODEL_END, freq="h")


def hourly_mean(seed: int = 2026) -> pd.Series:
    """Expected inquiries per hour (incl. day-level noise, excl. hour noise) over the model range.

    Index: hourly naive local timestamps HISTORY_START .. MODEL_END. Used by the actuals, whose
    demo campaign lies after the history.
    """
    index = _model_index()
    days = index.normalize()
    uniq = days.unique()
    rng = np.random.default_rng([seed, 1])
    log_day = lfilter([1.0], [1.0, -DAY_AR], rng.normal(0.0, DAY_SIGMA, size=len(uniq)))
    day_pos = uniq.get_indexer(days)
    shape = _weekly_shape()[index.day_of_week.to_numpy(), index.hour.to_numpy()]
    mean = _base_level(uniq)[day_pos] * np.exp(log_day)[day_pos] * shape
    mean *= _promo_multiplier(index, shape, seed)
    return pd.Series(np.round(mean, 6), index=index, name="mean")


def _outages(index: pd.DatetimeIndex, seed: int) -> np.ndarray:
    """Boolean mask of outage hours: N_OUTAGES gaps of 2-7 h, away from events (+-1 day)."""
    rng = np.random.default_rng([seed, 3])
    n_hist = int(np.searchsorted(index.to_numpy(), HISTORY_END.to_datetime64(), side="right"))
    blocked = np.zeros(len(index), dtype=bool)
    for _f, _p, start, end, _s in _event_specs():
        blocked |= (index >= start - pd.Timedelta(days=1)) & (index <= end + pd.Timedelta(days=1))
    starts = rng.integers(0, n_hist - 8, size=60)
    lengths = rng.integers(2, 8, size=60)
    mask = np.zeros(len(index), dtype=bool)
    taken = 0
    for s, n in zip(starts, lengths, strict=True):
        window = slice(max(s - 24, 0), s + n + 24)
        if blocked[s : s + n].any() or mask[window].any():
            continue
        mask[s : s + n] = True
        taken += 1
        if taken == N_OUTAGES:
            break
    return mask


def make_history(
    seed: int = 2026,
    start: pd.Timestamp | str = HISTORY_START,
    end: pd.Timestamp | str = HISTORY_END,
) -> pd.DataFrame:
    """Hourly history ``timestamp,volume`` (inquiries per hour, int) for ``start..end`` inclusive.

    Always drawn over the full model range and then sliced, so any slice equals the same rows of
    the full file. Outage hours (see ``_outages``) are absent rows.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start < HISTORY_START or end > HISTORY_END:
        raise ValueError(
            f"make_history: range {start}..{end} outside {HISTORY_START}..{HISTORY_END}"
        )
    mean = hourly_mean(seed)
    rate = mean.to_numpy() * np.random.default_rng([seed, 2]).gamma(
        NB_SHAPE, 1.0 / NB_SHAPE, size=len(mean)
    )
    volume = np.random.default_rng([seed, 4]).poisson(rate)
    keep = ~_outages(mean.index, seed) & (mean.index >= start) & (mean.index <= end)
    return pd.DataFrame(
        {"timestamp": mean.index[keep], "volume": volume[keep].astype(np.int64)}
    ).reset_index(drop=True)


def make_actuals(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """The demo campaign's actuals (2026-11-01..11-14).

    Returns frames ``hourly``, ``question_types`` and ``agents``
    (see :mod:`scenarios.samples.actuals`).
    """
    mean = hourly_mean(seed).loc[CAMPAIGN_START:CAMPAIGN_END]
    events = make_events()
    phase = pd.Series("ordinary", index=mean.index)
    for row in events.itertuples(index=False):
        if row.event == "double11":
            phase[(mean.index >= row.start) & (mean.index <= row.end)] = row.phase
    return simulate_actuals(mean, phase, make_agents(seed), seed)


# ------------------------------------------------------------------------------------ writing

_TS = "%Y-%m-%dT%H:%M:%S"


def formatted_sample(df: pd.DataFrame, minute_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """Copy with datetime columns as ISO text (seconds, or minutes for ``minute_cols``)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M" if col in minute_cols else _TS)
    return out


def csv_bytes(df: pd.DataFrame, minute_cols: tuple[str, ...] = ()) -> bytes:
    """``df`` as UTF-8-with-BOM CSV bytes (``\\n`` line ends), formula-neutral like every CSV
    peakplan writes."""
    text = neutralise_formulas(formatted_sample(df, minute_cols)).to_csv(
        index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


#: Files generate_sample_data writes, relative to its output directory.
SAMPLE_FILES = (
    "history.csv",
    "events.csv",
    "agents.csv",
    "actuals/hourly.csv",
    "actuals/question_types.csv",
    "actuals/agents.csv",
)


def generate_sample_data(out_dir: Path, seed: int = 2026) -> list[Path]:
    """Write every sample file under ``out_dir`` (created if needed); return the paths written.

    ``out_dir`` may hold other files (``data/sample`` keeps its README and the demo scenario):
    they are left alone, but a file of :data:`SAMPLE_FILES` is replaced only when the marker
    ``.peakplan-sample-data.json`` shows sample-data wrote it, unchanged (checked before any
    work). The files and the marker are written as one unit (temp files, then renames).

    Raises:
        scenarios.output.OutputPathError: a file to write is not sample-data's.
    """
    out_dir = output.check_generated_dir(out_dir, SAMPLE_FILES, output.SAMPLE_MARKER)
    actuals = make_actuals(seed)
    frames = [
        csv_bytes(make_history(seed)),
        csv_bytes(make_events(), minute_cols=("start", "end")),
        csv_bytes(make_agents(seed)),
        csv_bytes(actuals["hourly"]),
        csv_bytes(actuals["question_types"]),
        csv_bytes(actuals["agents"]),
    ]
    files = {out_dir / rel: data for rel, data in zip(SAMPLE_FILES, frames, strict=True)}
    marker = output.marker_bytes(dict(zip(SAMPLE_FILES, frames, strict=True)), seed=seed)
    output.check_generated_dir(out_dir, SAMPLE_FILES, output.SAMPLE_MARKER)
    file_output.write_unit({**files, out_dir / output.SAMPLE_MARKER: marker}, overwrite=True)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write peakplan's synthetic sample data.")
    parser.add_argument("--out", type=Path, default=Path("data/sample"), help="output directory")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    for path in generate_sample_data(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
