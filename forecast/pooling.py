"""Partial pooling of learned event effects (empirical Bayes), after the GLM fit.

An event phase's hour-of-day effects (log scale, from its ``ev:<family|phase>:*`` hour columns:
:func:`forecast.features.hour_effects`) learned from one or two occurrences carry that
occurrence's own luck: a rainy holiday, a Double 11 that started weak. Applied at full strength
to the next occurrence they transfer badly. Each key's
effects are pulled toward a *target*: the average of the other families' effects for the same
phase name at the same hour (``double11|peak`` toward ``618|peak``, ``double12|peak``...; a
bike-share holiday toward the other holidays), or 0 (an ordinary day) when no other family has
that phase. With ``d_k`` the key's mean deviation from its target and ``s2_k = s2 / n_k`` the
noise of a level learned from ``n_k`` occurrences (``s2``: variance of one occurrence's log level
around the truth), the method-of-moments prior variance of the deviations within a phase name is
``tau2 = max(floor, var(d) - mean(s2_k))`` and every hour effect of the key moves to
``target + w_k (effect - target)`` with ``w_k = tau2 / (tau2 + s2_k)``: a phase seen often, or
far from its peers on strong evidence, keeps its own effect; a phase seen once with a noisy level
leans on its peers. ``1 - w_k`` is reported as the key's pooling share. The model then moves the
key's columns to the pooled effects (least squares through its hour basis, exact for one column
per hour).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

TAU2_FLOOR = 1e-4  # log-scale prior variance floor (deviations of ~1 % always allowed)


Effects = dict[str, dict[str, float]]  # key -> {"hHH": log effect}


def pool_effects(effects: Effects, n_occ: dict[str, int], s2: float
                 ) -> tuple[Effects, dict[str, float]]:
    """Pooled copy of ``effects`` and each pooled key's weight ``w_k`` on its own effect.
    ``n_occ``: occurrences per key in training; ``s2``: one occurrence's log-level variance
    (0: nothing is pooled)."""
    out = {k: dict(v) for k, v in effects.items()}
    if s2 <= 0:
        return out, {}
    by_phase: dict[str, list[str]] = defaultdict(list)
    for key in effects:
        by_phase[key.split("|", 1)[1]].append(key)
    weights: dict[str, float] = {}
    for keys in by_phase.values():
        target = {k: _target(k, keys, effects) for k in keys}
        dev = {k: float(np.mean([e - target[k][f] for f, e in effects[k].items()]))
               for k in keys}
        s2k = {k: s2 / max(n_occ.get(k, 1), 1) for k in keys}
        if len(keys) >= 2:
            tau2 = max(TAU2_FLOOR, float(np.var(list(dev.values()))) - float(np.mean(
                list(s2k.values()))))
        for k in keys:
            t2 = tau2 if len(keys) >= 2 else max(TAU2_FLOOR, dev[k] ** 2)
            w = t2 / (t2 + s2k[k])
            weights[k] = w
            out[k] = {f: target[k][f] + w * (e - target[k][f]) for f, e in effects[k].items()}
    return out, weights


def _target(key: str, keys: list[str], effects: Effects) -> dict[str, float]:
    """Per hour of ``key``: the mean effect of the other keys of its phase name at that hour
    (their overall mean where none has the hour; 0 when the phase has no other key)."""
    others = [k for k in keys if k != key]
    if not others:
        return dict.fromkeys(effects[key], 0.0)
    overall = float(np.mean([e for k in others for e in effects[k].values()]))
    out = {}
    for f in effects[key]:
        vals = [effects[k][f] for k in others if f in effects[k]]
        out[f] = float(np.mean(vals)) if vals else overall
    return out
