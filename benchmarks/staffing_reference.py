"""Staffing benchmark, part 1: Erlang C against pyworkforce 0.5.1 (run in .venv-ref, Python
3.11, as a subprocess) over a grid of loads: required agents (exact integers) and service level /
waiting probability (to 1e-9). Volumes in inquiries per 30-minute interval, AHT in minutes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.staffing import (  # noqa: E402
    ServiceParams,
    evaluate_staffing,
    required_agents,
)

REF_PY = ROOT / ".venv-ref" / "bin" / "python"
INTERVAL = 30

REF_SCRIPT = r"""
import json, sys
from pyworkforce.queuing import ErlangC
grid = json.load(sys.stdin)
req, sl = [], []
for g in grid["required"]:
    e = ErlangC(transactions=g["tx"], aht=g["aht"], asa=g["asa"], interval=30,
                shrinkage=g["shrink"])
    r = e.required_positions(service_level=g["sl"], max_occupancy=g["occ"])
    req.append(r)
for g in grid["levels"]:
    e = ErlangC(transactions=g["tx"], aht=g["aht"], asa=g["asa"], interval=30)
    sl.append([e.service_level(positions=g["n"]), e.waiting_probability(positions=g["n"])])
json.dump({"required": req, "levels": sl}, sys.stdout)
"""


def volume_frame(volumes) -> pd.DataFrame:
    """Inquiries per interval as the staffing maths reads them (``timestamp``, ``volume``)."""
    v = np.asarray(volumes, dtype=float)
    return pd.DataFrame({"timestamp": pd.RangeIndex(v.size), "volume": v})


# ---------------------------------------------------------------- 1. reference agreement
def reference_agreement(quick: bool) -> tuple[list[str], dict]:
    txs = [5, 20, 50, 100, 250, 500, 1000, 2500, 5000]
    ahts = [2, 3, 5, 8]  # minutes
    asas = [20 / 60, 0.5, 3.0]  # threshold T, minutes
    sls = [0.8, 0.9, 0.95]
    shrinks = [0.0, 0.3]
    occs = [1.0, 0.85]
    if quick:
        txs, ahts = [20, 500], [3]
    req_grid = [
        {"tx": tx, "aht": aht, "asa": asa, "sl": sl, "shrink": s, "occ": o}
        for tx, aht, asa, sl, s, o in itertools.product(txs, ahts, asas, sls, shrinks, occs)
    ]
    lvl_grid = []
    for tx, aht, asa in itertools.product(txs, ahts, asas):
        a = tx / 30 * aht
        for n in range(int(np.floor(a)) + 1, int(np.ceil(a + 4 * np.sqrt(a) + 6))):
            lvl_grid.append({"tx": tx, "aht": aht, "asa": asa, "n": n})
    if not REF_PY.exists():
        return ["pyworkforce reference venv missing (run `make .venv-ref/.installed`)."], {}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(REF_PY), "-c", REF_SCRIPT],
        input=json.dumps({"required": req_grid, "levels": lvl_grid}),
        capture_output=True,
        text=True,
        check=True,
    )
    ref_time = time.perf_counter() - t0
    ref = json.loads(proc.stdout)

    # ours, grouped by parameter set so each call is vectorised over volumes
    keyf = lambda g: (g["aht"], g["asa"], g["sl"], g["shrink"], g["occ"])  # noqa: E731
    t0 = time.perf_counter()
    ours_by_idx: dict[int, pd.Series] = {}
    groups: dict[tuple, list[int]] = {}
    for i, g in enumerate(req_grid):
        groups.setdefault(keyf(g), []).append(i)
    for key, idx in groups.items():
        aht, asa, sl, s, o = key
        p = ServiceParams(
            aht_seconds=aht * 60, target_seconds=asa * 60, service_level=sl, shrinkage=s,
            max_occupancy=o,
        )
        out = required_agents(volume_frame([req_grid[i]["tx"] for i in idx]), p, INTERVAL)
        for i, (_, r) in zip(idx, out.iterrows(), strict=True):
            ours_by_idx[i] = r
    our_time = time.perf_counter() - t0
    mism_raw = mism_pos = float_overshoot = 0
    sl_diff = occ_diff = 0.0
    examples = []
    for i, g in enumerate(req_grid):
        r, o = ref["required"][i], ours_by_idx[i]
        ours_raw = _raw_productive(o, g)
        if ours_raw != r["raw_positions"]:
            mism_raw += 1
            examples.append((g, r["raw_positions"], ours_raw))
        if int(o.agents_required) != r["positions"]:
            mism_pos += 1
            exact = r["raw_positions"] / (1 - g["shrink"])
            if (abs(exact - round(exact)) < 1e-9 and int(o.agents_required) == round(exact)
                    and r["positions"] == round(exact) + 1):
                float_overshoot += 1
        p = ServiceParams(aht_seconds=g["aht"] * 60, target_seconds=g["asa"] * 60,
                          service_level=g["sl"])
        ev = evaluate_staffing(volume_frame([g["tx"]]), [r["raw_positions"]], p, INTERVAL).iloc[0]
        sl_diff = max(sl_diff, abs(ev.expected_service_level - r["service_level"]))
        occ_diff = max(occ_diff, abs(ev.expected_occupancy - r["occupancy"]))
    # service level and waiting probability at fixed agents
    from scheduler.staffing import erlang_c

    lv = np.array(ref["levels"])
    n = np.array([g["n"] for g in lvl_grid], dtype=float)
    load = np.array([g["tx"] / (INTERVAL * 60) * g["aht"] * 60 for g in lvl_grid])
    aht_s = np.array([g["aht"] * 60 for g in lvl_grid])
    t_s = np.array([g["asa"] * 60 for g in lvl_grid])
    from scheduler.staffing import erlang_c_service_level

    our_sl = erlang_c_service_level(n, load, aht_s, t_s)
    our_pw = erlang_c(n, load)
    lvl_sl = float(np.max(np.abs(our_sl - lv[:, 0])))
    lvl_pw = float(np.max(np.abs(our_pw - lv[:, 1])))
    lines = [
        "## 1. Erlang C vs pyworkforce 0.5.1 (independent reference, Python 3.11 venv)",
        "",
        f"Grid: transactions/30 min {txs} x AHT {ahts} min x threshold T "
        f"{[round(a * 60) for a in asas]} s"
        f" x SL target {sls} x shrinkage {shrinks} x max occupancy {occs}"
        f" = {len(req_grid)} requirement points (loads "
        f"{min(txs) * min(ahts) / 30:.2f}-{max(txs) * max(ahts) / 30:.0f} Erlangs); "
        f"{len(lvl_grid)} (load, agents) points for service level / waiting probability.",
        "",
        "| check | points | mismatches / max abs diff |",
        "|---|---:|---:|",
        f"| raw agents (productive, integer) | {len(req_grid)} | {mism_raw} mismatches |",
        f"| agents on duty after shrinkage (integer) | {len(req_grid)} | {mism_pos} mismatches"
        f" ({float_overshoot} are pyworkforce float overshoot, see below) |",
        f"| service level at the reference's raw agents | {len(req_grid)} | {sl_diff:.2e} |",
        f"| occupancy at the reference's raw agents | {len(req_grid)} | {occ_diff:.2e} |",
        f"| service level at fixed agents | {len(lvl_grid)} | {lvl_sl:.2e} |",
        f"| waiting probability at fixed agents | {len(lvl_grid)} | {lvl_pw:.2e} |",
        "",
        f"Wall time: pyworkforce {ref_time:.2f} s (one process, incl. start-up); "
        f"peakplan {our_time:.2f} s.",
    ]
    if float_overshoot:
        lines += [
            "",
            f"The {float_overshoot} on-duty mismatches are all cases where raw / (1 - shrinkage) "
            "is an integer in exact arithmetic and pyworkforce's `ceil(raw / (1 - shrinkage))` "
            "overshoots in floating point, e.g. 21 / (1 - 0.3) = 30.000000000000004 -> 31 agents "
            "where 30 x 0.7 = 21 productive agents suffice; peakplan rounds with a 1e-9 "
            "tolerance and gives 30. Productive (raw) agents agree on every point.",
        ]
    for g, theirs, ours in examples[:5]:
        lines.append(f"- mismatch: {g} pyworkforce {theirs}, peakplan {ours}")
    summary = {"raw_mismatch": mism_raw, "pos_mismatch": mism_pos,
               "pos_float_overshoot": float_overshoot,
               "sl_diff": max(sl_diff, lvl_sl), "points": len(req_grid)}
    return lines, summary


def _raw_productive(row: pd.Series, g: dict) -> int:
    """Our integer productive requirement N*, recomputed with shrinkage 0 for comparison."""
    p = ServiceParams(aht_seconds=g["aht"] * 60, target_seconds=g["asa"] * 60,
                      service_level=g["sl"], max_occupancy=g["occ"])
    return int(required_agents(volume_frame([g["tx"]]), p, INTERVAL).agents_required.iloc[0])
