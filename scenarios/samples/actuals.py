"""Sample ``actuals/``: what happened in the 2026-11-01..11-14 Double 11 demo campaign.

The campaign is simulated from a plan that was *not* perfect:

- the plan's forecast under-estimated the 11-11 00:00-01:59 peak by 22 % and the main day by 8 %,
  and did not foresee the logistics (物流) surge from 11-12 12:00 (couriers swamped);
- handle time jumped 45 % on the eve of the peak (11-10 20:00-23:59, coupon-stacking and
  balance-payment questions) and 10 % during the peak hours;
- 4 agents of the 11-10/11 night shift did not show up, and about 3 % of planned agents were
  absent in any hour.

Staffing assumptions (documented in data/sample/README.md), those of the demo scenario
data/sample/double11-2026.toml [service]: a bot answers about ``BOT_SHARE`` of the inquiries
(per question type ``_BOT_BY_TYPE``); each agent serves ``CONCURRENCY`` chats at once; a chat
occupies one slot for ``HANDLE_TIME_S`` = 240 s x (1 + 0.25 x 2) = 360 s; the plan staffed to
``TARGET_OCCUPANCY``. Seed KPIs per hour and per question type (timeout and abandoned chats,
first-contact resolution, CSAT, inquiry->order conversion, bot-resolved share) follow from the
simulated queue; see :func:`_kpis`. Response times come from a
standalone queueing approximation (no import of scheduler/): Sakasegawa's M/M/c waiting-time
approximation while the load fits, plus a fluid backlog (Lindley recursion, vectorised) when
arrivals exceed capacity, so they collapse where staff was short.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["simulate_actuals", "response_times", "QUESTION_TYPES", "CAMPAIGN_START", "CAMPAIGN_END"]

CAMPAIGN_START = pd.Timestamp("2026-11-01T00:00")
CAMPAIGN_END = pd.Timestamp("2026-11-14T23:00")
BOT_SHARE = 0.35  # share of inquiries fully answered by the bot (scenario bot_deflection)
CONCURRENCY = 3  # chats one agent serves at once
AHT_ALONE_S = 240.0  # handle time of a chat served alone (scenario aht_seconds)
CONCURRENCY_AHT_FACTOR = 0.25  # each extra parallel chat makes every chat 25 % longer
#: seconds a chat occupies one of the agent's slots: 240 x (1 + 0.25 x 2) = 360 s
HANDLE_TIME_S = AHT_ALONE_S * (1.0 + CONCURRENCY_AHT_FACTOR * (CONCURRENCY - 1))
TARGET_OCCUPANCY = 0.80  # planned slot occupancy
GREETING_S = 6.0  # seconds from hand-over to the agent's first reply when no one waits
TARGET_S = 180.0  # the 3-minute response target
ABANDON = 0.5  # share of the waiting backlog that gives up per hour

QUESTION_TYPES = ("售前咨询", "物流", "退换货", "优惠活动", "投诉")
#: Shares of QUESTION_TYPES by Double-11 phase (each row sums to 1).
_SHARES = {
    "ordinary": (0.40, 0.20, 0.14, 0.20, 0.06),
    "deposit_payment": (0.40, 0.13, 0.10, 0.32, 0.05),
    "peak": (0.34, 0.06, 0.05, 0.48, 0.07),
    "main": (0.38, 0.10, 0.08, 0.37, 0.07),
    "tail": (0.22, 0.33, 0.22, 0.14, 0.09),
    "after_sales": (0.16, 0.42, 0.28, 0.06, 0.08),
}
#: Per question type (order of QUESTION_TYPES): share the bot resolves (about BOT_SHARE overall),
#: first-contact resolution and CSAT (1-5) when service is on time, inquiry->order conversion
#: (pre-sale types only, NaN = not an inquiry before buying) and per-message response relative
#: to the hour's average.
_BOT_BY_TYPE = np.array([0.37, 0.45, 0.25, 0.38, 0.05])
_FCR_BY_TYPE = np.array([0.88, 0.78, 0.70, 0.85, 0.55])
_CSAT_BY_TYPE = np.array([4.80, 4.65, 4.50, 4.75, 3.90])
_CONVERSION_BY_TYPE = np.array([0.37, np.nan, np.nan, 0.33, np.nan])
_RESPONSE_BY_TYPE = np.array([0.90, 1.10, 1.20, 1.00, 1.30])
_SURGE_START = pd.Timestamp("2026-11-12T12:00")  # logistics surge: couriers swamped
_EVE = (pd.Timestamp("2026-11-10T20:00"), pd.Timestamp("2026-11-10T23:00"))
_PLAN_BIAS = {"peak": 0.78, "main": 0.92}  # planned / true mean volume
_NO_SHOW = (pd.Timestamp("2026-11-10T22:00"), pd.Timestamp("2026-11-11T01:00"), 4)
_TEMPS_PER_DAY = {"2026-11-08": 10, "2026-11-09": 10, "2026-11-10": 30, "2026-11-11": 30,
                  "2026-11-12": 30, "2026-11-13": 20, "2026-11-14": 20}
_ALL_HANDS = ("2026-11-10", "2026-11-11", "2026-11-12")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def response_times(
    chats: np.ndarray, slots: np.ndarray, handle_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hourly (avg first response s, avg response s, 3-minute response rate, abandoned chats).

    ``chats``: human chats arriving per hour; ``slots``: agents logged in x concurrency;
    ``handle_s``: seconds per chat. Stationary part (Sakasegawa): P(wait) ~ rho^(sqrt(2(c+1))-1),
    E[wait] = P(wait) * h / (c (1 - rho)), exponential given a wait. Overload part (fluid): the
    backlog B_t = max(0, (1 - ABANDON) B_{t-1} + chats_t - capacity_t), where ABANDON of the
    waiting customers give up per hour; an hour's customers wait on average
    (B_{t-1} + B_t) / 2 / capacity, spread uniformly on [0, 2w]. The per-message response grows
    with occupancy, 10 / (1 - 0.85 rho) s, plus 5 % of the backlog wait (at most 60 s).
    """
    c = np.maximum(slots.astype(float), 1.0)
    rho = chats * handle_s / 3600.0 / c  # busy slots / slots
    rho_s = np.minimum(rho, 0.97)
    p_wait = rho_s ** (np.sqrt(2.0 * (c + 1.0)) - 1.0)
    wq = p_wait * handle_s / (c * (1.0 - rho_s))
    p_late = p_wait * np.exp(-TARGET_S * c * (1.0 - rho_s) / handle_s)

    capacity = 0.97 * c * 3600.0 / handle_s  # chats/hour
    excess = chats - capacity
    backlog = np.zeros(len(chats) + 1)  # backlog[t + 1] = queue at the end of hour t
    for t in range(len(chats)):  # sequential by nature (a reflected random walk with leakage)
        backlog[t + 1] = max(0.0, (1.0 - ABANDON) * backlog[t] + excess[t])
    abandoned = ABANDON * backlog[:-1]
    w_fluid = (backlog[:-1] + backlog[1:]) / 2.0 / capacity * 3600.0
    p_fluid = np.clip(1.0 - TARGET_S / np.maximum(2.0 * w_fluid, TARGET_S), 0.0, 1.0)

    first = GREETING_S + wq + w_fluid
    avg = 10.0 / (1.0 - 0.85 * np.minimum(rho, 1.0)) + np.minimum(0.05 * w_fluid, 60.0)
    rate = (1.0 - p_late) * (1.0 - p_fluid)
    return first, avg, rate, abandoned


def _staffing(mean: pd.Series, phase: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Agents logged in per hour: the plan (from a biased forecast) minus absences and no-shows."""
    bias = phase.map(_PLAN_BIAS).fillna(1.0).to_numpy() * np.exp(rng.normal(0, 0.04, len(mean)))
    plan_chats = mean.to_numpy() * bias * (1 - BOT_SHARE)
    # shifts cover whole hours around a need: plan each hour for the max of it and its neighbours
    plan_chats = np.maximum(plan_chats, np.maximum(np.roll(plan_chats, 1), np.roll(plan_chats, -1)))
    planned = np.maximum(
        np.ceil(plan_chats * HANDLE_TIME_S / 3600 / (CONCURRENCY * TARGET_OCCUPANCY)) + 1, 3
    ).astype(np.int64)
    logged = rng.binomial(planned, 0.97)
    start, end, n = _NO_SHOW
    logged = logged - n * ((mean.index >= start) & (mean.index <= end))
    return np.maximum(logged, 1)


def _volumes(mean: pd.Series, phase: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Hour x type volumes (inquiries): phase shares plus the unplanned logistics surge."""
    base = rng.poisson(mean.to_numpy() * rng.gamma(120.0, 1 / 120.0, len(mean)))
    shares = np.array([_SHARES[p] for p in phase.to_numpy()])
    by_type = rng.multinomial(base, shares)
    hours = (mean.index - _SURGE_START) / pd.Timedelta(hours=1)
    surge = np.where(hours >= 0, 0.15 + 0.15 * np.clip(hours.to_numpy() / 60.0, 0, 1), 0.0)
    by_type[:, QUESTION_TYPES.index("物流")] += rng.poisson(mean.to_numpy() * surge)
    return by_type


def _agent_days(
    hourly: pd.DataFrame,
    by_type: np.ndarray,
    human: np.ndarray,
    abandoned: np.ndarray,
    agents: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Per agent per day: handled chats (multinomial split of the day's human chats that did not
    give up), response time (day average scaled by efficiency, slower temporaries), CSAT (1-5,
    falling with response time and with the share of logistics questions) and hours logged."""
    day = hourly["timestamp"].dt.strftime("%Y-%m-%d")
    served = pd.Series(human - abandoned, index=day).groupby(level=0).sum()
    logistics = pd.Series(by_type[:, 1], index=day).groupby(level=0).sum()
    totals = pd.Series(hourly["volume"].to_numpy(), index=day).groupby(level=0).sum()
    chats = pd.Series(human, index=day).groupby(level=0).sum()
    resp = (pd.Series(human * hourly["avg_response_s"].to_numpy(), index=day)
            .groupby(level=0).sum() / chats)
    no_show = agents.index[agents["agent_type"] == "permanent"].to_numpy()
    no_show = rng.choice(no_show, size=_NO_SHOW[2], replace=False)
    rows = []
    for d_i, date in enumerate(chats.index):
        dow = _DAY_NAMES[pd.Timestamp(date).day_of_week]
        all_hands = date in _ALL_HANDS
        crew: list[tuple[str, float, float, bool]] = []  # (agent_id, hours, efficiency, temp)
        for k, a in enumerate(agents.itertuples(index=False)):
            if date in a.days_off.split(";") or (date == "2026-11-11" and k in no_show):
                continue
            if a.available_weekdays and dow not in a.available_weekdays.split(","):
                continue
            if a.agent_type == "permanent":
                works, h = all_hands or (d_i + k) % 7 not in (0, 1), 10.0 if all_hands else 8.0
            else:
                works, h = all_hands or (d_i + k) % 7 < 4, 5.0
            if works:
                crew.append((a.agent_id, h, float(a.efficiency), False))
        for t in range(1, _TEMPS_PER_DAY.get(date, 0) + 1):
            crew.append((f"TEMP-{t:03d}", 8.0, 0.9, True))
        ids = [c[0] for c in crew]
        hours = np.array([c[1] for c in crew])
        eff_a = np.array([c[2] for c in crew])
        temp_a = np.array([c[3] for c in crew])
        weight = hours * eff_a * np.where(temp_a, 0.75, 1.0)
        weight *= np.exp(rng.normal(0, 0.1, len(ids)))
        handled = rng.multinomial(int(round(served[date])), weight / weight.sum())
        r = resp[date] * eff_a**-1.5 * np.where(temp_a, 1.3, 1.0)
        r *= np.exp(rng.normal(0, 0.08, len(ids)))
        excess_logistics = max(logistics[date] / totals[date] - 0.2, 0.0)
        slow = 1.0 - np.exp(-np.maximum(r - 20.0, 0.0) / 150.0)  # 0 .. 1
        csat = (4.85 - 1.8 * slow - 1.5 * excess_logistics - 0.1 * temp_a
                + rng.normal(0, 0.06, len(ids)))
        rows.append(pd.DataFrame({
            "date": date, "agent_id": ids, "handled_chats": handled,
            "avg_response_s": np.round(r, 1), "csat": np.round(np.clip(csat, 1, 5), 2),
            "hours": hours,
        }))
    return pd.concat(rows, ignore_index=True)


def _kpis(
    human_k: np.ndarray, timeout: np.ndarray, abandoned: np.ndarray, idx: pd.DatetimeIndex,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Hour x type seed KPIs from the queue's outcome.

    ``human_k``: human chats per hour and type; ``timeout``/``abandoned``: chats per hour that
    waited > 180 s / gave up. Lateness ``late`` = (timeout + abandoned) / human chats of the
    hour lowers FCR (-0.25 x late), CSAT (-1.5 x late) and conversion (late answers convert at
    55 %, abandoned ones at 10 %); from the logistics surge on, 物流 loses 0.15 FCR and 0.4 CSAT
    and its agents answer 1.6x slower; on the eve of the peak coupon (优惠活动) answers are 1.4x
    slower. Type response factors are normalised so that the human-chat weighted mean of the
    types' responses is the hour's. Returns arrays of shape (hours, types): ``fcr``, ``csat``,
    ``conversion`` (NaN for after-sales types), ``response_factor``, ``first_factor`` and
    ``timeout`` (the hour's timeouts split across types).
    """
    n, k = human_k.shape
    human = human_k.sum(1)
    safe = np.maximum(human, 1)
    late = ((timeout + abandoned) / safe)[:, None]
    surge = np.asarray(idx >= _SURGE_START)[:, None] & (np.arange(k) == 1)[None, :]
    eve = np.asarray((idx >= _EVE[0]) & (idx <= _EVE[1]))[:, None] & (np.arange(k) == 3)
    factor = _RESPONSE_BY_TYPE * np.where(surge, 1.6, 1.0) * np.where(eve, 1.4, 1.0)
    first_f = 1.0 + 0.5 * (factor - 1.0)
    weight = np.where(human[:, None] > 0, human_k / safe[:, None], 1.0 / k)
    split = weight * first_f
    timeout_k = rng.multinomial(timeout, split / split.sum(1, keepdims=True))
    fcr = _FCR_BY_TYPE - 0.25 * late - 0.15 * surge + rng.normal(0, 0.01, (n, k))
    csat = _CSAT_BY_TYPE - 1.5 * late - 0.4 * surge + rng.normal(0, 0.03, (n, k))
    abandon_share = (abandoned / safe)[:, None]
    conv = _CONVERSION_BY_TYPE * (1 - 0.45 * (late - abandon_share) - 0.9 * abandon_share)
    conv = conv + rng.normal(0, 0.01, (n, k))
    return {
        "fcr": np.clip(fcr, 0, 1), "csat": np.clip(csat, 1, 5), "conversion": np.clip(conv, 0, 1),
        "response_factor": factor / (weight * factor).sum(1, keepdims=True),
        "first_factor": first_f / (weight * first_f).sum(1, keepdims=True),
        "timeout": timeout_k,
    }


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean ignoring NaN values (NaN where no weight is left)."""
    w = np.where(np.isnan(values), 0.0, weights)
    total = w.sum(1)
    out = np.nansum(values * w, axis=1) / np.where(total > 0, total, 1.0)
    return np.where(total > 0, out, np.nan)


def simulate_actuals(
    mean: pd.Series, phase: pd.Series, agents: pd.DataFrame, seed: int
) -> dict[str, pd.DataFrame]:
    """Simulate the campaign from the true hourly mean volume (inquiries/hour).

    ``mean``/``phase`` share an hourly index over the campaign; ``phase`` holds the Double-11
    phase name (``ordinary`` outside). Returns frames ``hourly`` (timestamp, volume,
    handled_by_bot, avg_handle_s, avg_first_response_s, avg_response_s,
    three_min_response_rate, timeout_chats, abandoned_chats, agents_logged_in, fcr, csat,
    conversion), ``question_types`` (timestamp, question_type, volume, bot_resolved_share,
    avg_first_response_s, avg_response_s, timeout_chats, fcr, csat, conversion; hourly, long
    format) and ``agents`` (date, agent_id, handled_chats, avg_response_s, csat, hours).
    Counts are chats or inquiries, times seconds, rates shares 0-1, CSAT 1-5.
    """
    rng = np.random.default_rng([seed, 20])
    by_type = _volumes(mean, phase, rng)
    volume = by_type.sum(axis=1)
    kpi_rng = np.random.default_rng([seed, 21])
    bot_k = kpi_rng.binomial(by_type, _BOT_BY_TYPE)
    human_k = by_type - bot_k
    human = human_k.sum(axis=1)
    logged = _staffing(mean, phase, rng)
    handle = np.full(len(mean), HANDLE_TIME_S)
    idx = mean.index
    handle[((idx >= _EVE[0]) & (idx <= _EVE[1]))] *= 1.45
    handle[(phase == "peak").to_numpy()] *= 1.10
    first, avg, rate, abandoned = response_times(human, logged * CONCURRENCY, handle)
    gave_up = np.minimum(np.round(abandoned), human).astype(np.int64)
    timeout = np.round((human - gave_up) * (1.0 - rate)).astype(np.int64)
    kpi = _kpis(human_k, timeout, gave_up, idx, kpi_rng)
    rate_k = np.where(by_type > 0, bot_k / np.maximum(by_type, 1), np.nan)
    served_k = human_k > 0
    hourly = pd.DataFrame({
        "timestamp": idx,
        "volume": volume.astype(np.int64),
        "handled_by_bot": bot_k.sum(axis=1).astype(np.int64),
        "avg_handle_s": np.round(handle, 1),
        "avg_first_response_s": np.round(first, 1),
        "avg_response_s": np.round(avg, 1),
        "three_min_response_rate": np.round(rate, 4),
        "timeout_chats": timeout,
        "abandoned_chats": gave_up,
        "agents_logged_in": logged.astype(np.int64),
        "fcr": np.round(_weighted(kpi["fcr"], human_k), 4),
        "csat": np.round(_weighted(kpi["csat"], human_k), 2),
        "conversion": np.round(_weighted(kpi["conversion"], by_type), 4),
    })
    measured = {  # undefined (NaN) for a type without a human chat in the hour
        "avg_first_response_s": np.round(first[:, None] * kpi["first_factor"], 1),
        "avg_response_s": np.round(avg[:, None] * kpi["response_factor"], 1),
        "fcr": np.round(kpi["fcr"], 4),
        "csat": np.round(kpi["csat"], 2),
        "conversion": np.round(kpi["conversion"], 4),
    }
    measured = {name: np.where(served_k, v, np.nan) for name, v in measured.items()}
    types = pd.DataFrame({
        "timestamp": np.repeat(idx, len(QUESTION_TYPES)),
        "question_type": np.tile(QUESTION_TYPES, len(idx)),
        "volume": by_type.reshape(-1).astype(np.int64),
        "bot_resolved_share": np.round(rate_k, 4).reshape(-1),
        "avg_first_response_s": measured["avg_first_response_s"].reshape(-1),
        "avg_response_s": measured["avg_response_s"].reshape(-1),
        "timeout_chats": kpi["timeout"].reshape(-1),
        **{name: measured[name].reshape(-1) for name in ("fcr", "csat", "conversion")},
    })
    agent_days = _agent_days(hourly, by_type, human, abandoned, agents, rng)
    return {"hourly": hourly, "question_types": types, "agents": agent_days}
