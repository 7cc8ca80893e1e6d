"""Temporaries in the LP bound by ramp age: each temp template once per age (days since the
temp's first shift) at that age's efficiency, and hire cohorts ``y_h`` (temps whose first shift
is on day ``h``) bounding how many temps of each age can work a day. Valid for every roster:
map each temp-shift to its age and each temp to its first-shift day. Tighter than counting
every temp at its best ramp efficiency (the bound before issue 22).
"""

from __future__ import annotations

import numpy as np

from scheduler.roster.lp.builder import LpBuilder


def temp_ages(tpl: np.ndarray, ramp: tuple[float, ...], lead: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Temp templates once per ramp age ``a`` (days since the temp's first shift; the last age
    stands for every later one) on the days a temp of that age can exist (day >= lead + a), with
    that age's efficiency: (templates, efficiency, age) row-aligned."""
    parts, effs, ages = [], [], []
    for a, e in enumerate(ramp):
        keep = tpl[:, 0].astype(int) >= lead + a
        parts.append(tpl[keep])
        effs.append(np.full(int(keep.sum()), e))
        ages.append(np.full(int(keep.sum()), a))
    return np.concatenate(parts), np.concatenate(effs), np.concatenate(ages)


def add_cohort_rows(b: LpBuilder, cols: np.ndarray, day: np.ndarray, age: np.ndarray, hire,
                     n_days: int, n_ages: int, lead: int) -> None:
    """Temps by first-shift day ``h`` (``y_h``, summing to the hires): on day ``h`` exactly
    ``y_h`` temps work at age 0 (their first shift), on day ``d`` at most ``y_{d-a}`` at age
    ``a`` < the last, and at most the temps hired by ``d - a`` at the last age (every later one).
    Age-0 columns on a day with no cohort variable do not exist (``temp_ages``)."""
    if n_ages <= 1 or lead >= n_days:
        return
    y = b.add_vars("temp_cohorts", np.zeros(n_days - lead))  # y[h - lead]
    b.add_row("temp_cohorts", np.append(y, hire), np.append(np.ones(len(y)), -1.0),
              lo=0.0, hi=0.0)
    last = n_ages - 1
    for d in range(lead, n_days):
        for a in range(min(n_ages, d - lead + 1)):
            sel = cols[(day == d) & (age == a)]
            if sel.size == 0:
                continue
            hired = y[d - a - lead: d - a - lead + 1] if a < last else y[: d - a - lead + 1]
            b.add_row("temp_cohorts", np.concatenate([sel, hired]),
                      np.concatenate([np.ones(sel.size), -np.ones(hired.size)]),
                      lo=0.0 if a == 0 else -np.inf, hi=0.0)
