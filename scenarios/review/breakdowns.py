"""Breakdowns of a post-event review (复盘): worst time slots, question types, agents, phases.

Inputs are plain frames (see docs/review.md):

- the *interval table*: one row per actuals interval with ``timestamp, phase, target, actual``
  (measured 3-minute rate, share 0–1), ``volume`` (inquiries), ``lost_inquiries`` (count) and the
  attribution parts ``schedule, volume_error, handle_time, execution, other`` (shares 0–1 that sum
  to ``target - actual``);
- ``Actuals.question_types`` and ``Actuals.agents`` (scenarios/review/actuals.py).

*Reference (ordinary) days* are the days whose every interval is in phase ``ordinary``; when
fewer than two such days exist (a campaign roster usually lies inside a promotion phase), the days
whose actual volume is at most :data:`QUIET_DAY_FACTOR` × the quietest day's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Attribution parts (columns of the interval table) in the order they are reported.
CAUSES = ("schedule", "volume_error", "handle_time", "execution", "other")
#: A day is a reference day when its volume is at most this multiple of the quietest day's.
QUIET_DAY_FACTOR = 1.2
#: Agents need at least max(MIN_CHATS, MIN_CHATS_SHARE × median handled) chats to be ranked.
MIN_CHATS = 50
MIN_CHATS_SHARE = 0.25
#: |z| of an agent's CSAT against the team at or above which the agent is a CSAT outlier.
CSAT_Z = 2.0
SLOT_COLUMNS = [
    "rank", "start", "end", "phase", "intervals", "three_min_rate", "target", "miss", "volume",
    "lost_inquiries", "main_cause", *[f"lost_{c}" for c in CAUSES],
]


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Mean of ``values`` weighted by ``weights`` over rows where both are finite (NaN if none)."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    w = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
    return float(np.average(v[ok], weights=w[ok])) if ok.any() else float("nan")


def lost_by_cause(table: pd.DataFrame) -> pd.DataFrame:
    """Each interval's lost inquiries (≥ 0) split over the causes in proportion to their
    positive parts (a part that helped, < 0, gets none); columns ``lost_<cause>`` (count)."""
    parts = table[list(CAUSES)].astype(float).clip(lower=0).fillna(0.0)
    total = parts.sum(axis=1).to_numpy()
    lost = table["lost_inquiries"].astype(float).fillna(0.0).clip(lower=0).to_numpy()
    share = np.divide(parts.to_numpy(), total[:, None], out=np.zeros(parts.shape),
                      where=total[:, None] > 0)
    return pd.DataFrame(share * lost[:, None], columns=[f"lost_{c}" for c in CAUSES],
                        index=table.index)


def worst_slots(table: pd.DataFrame, interval_minutes: int, top: int | None = None) -> pd.DataFrame:
    """Contiguous intervals under target merged into slots, ranked by lost inquiries.

    Returns :data:`SLOT_COLUMNS`: ``start``/``end`` ISO local times (end exclusive),
    ``three_min_rate`` volume-weighted actual rate, ``miss = target - three_min_rate``,
    ``main_cause`` the cause with most lost inquiries, ``lost_<cause>`` lost inquiries per cause.
    """
    frame = table.sort_values("timestamp").reset_index(drop=True)
    under = (frame["actual"] < frame["target"]).to_numpy()
    if not under.any():
        return pd.DataFrame(columns=SLOT_COLUMNS)
    step = pd.Timedelta(minutes=interval_minutes)
    gap = frame["timestamp"].diff().ne(step).to_numpy()
    new_slot = under & (gap | ~np.r_[False, under[:-1]])
    frame["slot"] = np.cumsum(new_slot)
    frame = pd.concat([frame, lost_by_cause(frame)], axis=1)[under]
    frame["w_rate"] = frame["actual"] * frame["volume"]
    lost_cols = [f"lost_{c}" for c in CAUSES]
    agg = frame.groupby("slot").agg(
        start=("timestamp", "min"), last=("timestamp", "max"), intervals=("timestamp", "size"),
        phase=("phase", lambda s: "+".join(dict.fromkeys(s.astype(str)))),
        target=("target", "mean"), volume=("volume", "sum"), w_rate=("w_rate", "sum"),
        lost_inquiries=("lost_inquiries", "sum"), **{c: (c, "sum") for c in lost_cols},
    )
    rate = agg["w_rate"] / agg["volume"].where(agg["volume"] > 0)
    agg["three_min_rate"] = rate.fillna(frame.groupby("slot")["actual"].mean())
    agg["miss"] = agg["target"] - agg["three_min_rate"]
    agg["main_cause"] = agg[lost_cols].idxmax(axis=1).str.removeprefix("lost_")
    agg["end"] = (agg["last"] + step).dt.strftime("%Y-%m-%dT%H:%M")
    agg["start"] = agg["start"].dt.strftime("%Y-%m-%dT%H:%M")
    agg = agg.sort_values(["lost_inquiries", "miss"], ascending=False, kind="stable")
    agg["rank"] = np.arange(1, len(agg) + 1)
    out = agg[SLOT_COLUMNS].reset_index(drop=True)
    return out.head(top) if top is not None else out


def slot_label(start: str, end: str) -> str:
    """``2026-11-11T00:00``..``2026-11-11T02:00`` -> ``11-11 00:00–02:00`` (dates as needed)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    same_day = (e - pd.Timedelta(minutes=1)).date() == s.date()
    end_text = "24:00" if same_day and e.hour == 0 and e.minute == 0 else (
        f"{e:%H:%M}" if same_day else f"{e:%m-%d %H:%M}")
    return f"{s:%m-%d %H:%M}–{end_text}"


def reference_days(intervals: pd.DataFrame) -> pd.DatetimeIndex:
    """Reference (ordinary) days of an interval frame with ``timestamp, phase, volume``."""
    day = intervals["timestamp"].dt.normalize()
    ordinary = intervals["phase"].astype(str).eq("ordinary").groupby(day).all()
    if int(ordinary.sum()) >= 2:
        return pd.DatetimeIndex(ordinary.index[ordinary.to_numpy()])
    totals = intervals["volume"].astype(float).groupby(day).sum()
    return pd.DatetimeIndex(totals.index[totals <= QUIET_DAY_FACTOR * totals.min()])


_TYPE_MEASURES = ("first_response_s", "avg_response_s", "bot_resolved_share", "fcr", "csat",
                  "conversion")


def _type_means(frame: pd.DataFrame) -> pd.DataFrame:
    """Volume-weighted means of the measures per question type."""
    rows = {}
    for qtype, part in frame.groupby("question_type", sort=True):
        rows[qtype] = {m: weighted_mean(part[m], part["volume"]) if m in part else np.nan
                       for m in _TYPE_MEASURES}
    return pd.DataFrame.from_dict(rows, orient="index")


def question_type_breakdown(types: pd.DataFrame, reference: pd.DatetimeIndex) -> pd.DataFrame:
    """Per question type: ``volume`` (count), ``share`` of all inquiries, ``volume_vs_ordinary``
    (mean daily volume on event days / on reference days), volume-weighted ``first_response_s``,
    ``avg_response_s`` (seconds, whole horizon), ``ordinary_avg_response_s`` and
    ``event_avg_response_s`` (reference vs other days), ``response_miss_s`` (event − ordinary,
    seconds), ``bot_resolved_share``, ``ordinary_bot_resolved_share``, ``fcr``, ``csat``,
    ``conversion``; sorted by ``response_miss_s``, largest first."""
    day = types["timestamp"].dt.normalize()
    is_ref = day.isin(reference)
    volume = types.groupby("question_type")["volume"].sum()
    n_ref, n_event = max(int(reference.size), 1), max(day[~is_ref].nunique(), 1)
    per_day_event = types[~is_ref].groupby("question_type")["volume"].sum() / n_event
    per_day_ref = types[is_ref].groupby("question_type")["volume"].sum() / n_ref
    whole, ref, event = _type_means(types), _type_means(types[is_ref]), _type_means(types[~is_ref])
    out = pd.DataFrame({"question_type": volume.index, "volume": volume.to_numpy()})
    out = out.set_index("question_type")
    out["share"] = out["volume"] / out["volume"].sum()
    out["volume_vs_ordinary"] = per_day_event / per_day_ref.where(per_day_ref > 0)
    for m in ("first_response_s", "avg_response_s"):
        out[m] = whole[m]
    out["ordinary_avg_response_s"] = ref["avg_response_s"].reindex(out.index)
    out["event_avg_response_s"] = event["avg_response_s"].reindex(out.index)
    out["response_miss_s"] = out["event_avg_response_s"] - out["ordinary_avg_response_s"]
    out["bot_resolved_share"] = whole["bot_resolved_share"]
    out["ordinary_bot_resolved_share"] = ref["bot_resolved_share"].reindex(out.index)
    for m in ("fcr", "csat", "conversion"):
        out[m] = whole[m]
    out = out.reset_index().sort_values("response_miss_s", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def roster_people(roster: pd.DataFrame | None) -> pd.DataFrame:
    """``agent_id, name, agent_type`` from a run's roster.csv frame (first row per agent)."""
    if roster is None or roster.empty:
        return pd.DataFrame(columns=["agent_id", "name", "agent_type"])
    people = roster.drop_duplicates("agent_id")[["agent_id", "agent_name", "agent_type"]]
    return people.rename(columns={"agent_name": "name"}).astype(str)


def agent_breakdown(agents: pd.DataFrame, roster: pd.DataFrame | None, n: int = 3) -> pd.DataFrame:
    """Per agent over the horizon: ``days``, ``handled_chats`` (sum), ``avg_response_s`` and
    ``csat`` (weighted by handled chats), ``csat_z`` and ``flag``: ``slowest``/``fastest`` for the
    ``n`` slowest/fastest by avg_response_s among agents with enough chats (module constants),
    else ``csat_low``/``csat_high`` for |z| ≥ :data:`CSAT_Z`, else ``""``. Names and types come
    from the run's roster where the ID appears. Sorted slowest first."""
    frame = agents.copy()
    frame["w_resp"] = frame["avg_response_s"] * frame["handled_chats"]
    frame["w_csat"] = frame["csat"] * frame["handled_chats"]
    frame["has_csat"] = frame["handled_chats"].where(frame["csat"].notna(), 0.0)
    frame["has_resp"] = frame["handled_chats"].where(frame["avg_response_s"].notna(), 0.0)
    g = frame.groupby("agent_id", sort=True).agg(
        days=("date", "nunique"), handled_chats=("handled_chats", "sum"),
        w_resp=("w_resp", "sum"), w_csat=("w_csat", "sum"), has_csat=("has_csat", "sum"),
        has_resp=("has_resp", "sum"),
    )
    g["avg_response_s"] = g["w_resp"] / g["has_resp"].where(g["has_resp"] > 0)
    g["csat"] = g["w_csat"] / g["has_csat"].where(g["has_csat"] > 0)
    out = g.reset_index()[["agent_id", "days", "handled_chats", "avg_response_s", "csat"]]
    out = out.merge(roster_people(roster), on="agent_id", how="left")
    out[["name", "agent_type"]] = out[["name", "agent_type"]].fillna("")
    minimum = max(MIN_CHATS, MIN_CHATS_SHARE * float(out["handled_chats"].median()))
    eligible = (out["handled_chats"] >= minimum) & out["avg_response_s"].notna()
    sd = out.loc[eligible, "csat"].std(ddof=0)
    out["csat_z"] = (out["csat"] - out.loc[eligible, "csat"].mean()) / sd if sd > 0 else 0.0
    flag = pd.Series("", index=out.index, dtype=object)
    flag[eligible & (out["csat_z"] >= CSAT_Z)] = "csat_high"
    flag[eligible & (out["csat_z"] <= -CSAT_Z)] = "csat_low"
    ranked = out[eligible].sort_values(["avg_response_s", "agent_id"], kind="stable")
    flag[ranked.index[:n]] = "fastest"
    flag[ranked.index[::-1][:n]] = "slowest"
    out["flag"] = flag
    out = out.sort_values(["avg_response_s", "agent_id"], ascending=[False, True], kind="stable")
    cols = ["agent_id", "name", "agent_type", "days", "handled_chats", "avg_response_s", "csat",
            "csat_z", "flag"]
    return out[cols].reset_index(drop=True)


def phase_breakdown(table: pd.DataFrame) -> pd.DataFrame:
    """Per phase (in time order): ``intervals``, ``volume``, ``three_min_rate`` (volume-weighted
    actual), ``target``, ``lost_inquiries`` and lost inquiries per cause."""
    frame = pd.concat([table, lost_by_cause(table)], axis=1)
    frame["w_rate"] = frame["actual"] * frame["volume"]
    lost_cols = [f"lost_{c}" for c in CAUSES]
    agg = frame.groupby("phase", sort=False).agg(
        first=("timestamp", "min"), intervals=("timestamp", "size"), volume=("volume", "sum"),
        w_rate=("w_rate", "sum"), target=("target", "mean"),
        lost_inquiries=("lost_inquiries", "sum"), **{c: (c, "sum") for c in lost_cols},
    ).sort_values("first")
    agg["three_min_rate"] = agg["w_rate"] / agg["volume"].where(agg["volume"] > 0)
    cols = ["intervals", "volume", "three_min_rate", "target", "lost_inquiries", *lost_cols]
    return agg[cols].reset_index()
