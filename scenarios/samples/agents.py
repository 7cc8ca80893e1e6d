"""Sample ``agents.csv``: the named agents of the sample shop (60 permanent, 20 part-time).

Columns exactly as in docs/contracts.md. IDs are text: ``A0001``.., ``P0001``.. and three legacy
numeric IDs with leading zeros (``003``, ``007``, ``012``) kept from an older HR system, so
readers must not parse IDs as numbers. Names are drawn (seeded) from common Chinese surnames and
given names. Costs in CNY per hour; hours per week.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_agents", "AGENT_COLUMNS", "N_PERMANENT", "N_PART_TIME"]

AGENT_COLUMNS = [
    "agent_id", "name", "agent_type", "contract_hours_per_week", "min_hours_per_week",
    "max_hours_per_week", "hourly_cost_cny", "available_weekdays", "available_from",
    "available_to", "days_off", "efficiency",
]
N_PERMANENT = 60
N_PART_TIME = 20
LEGACY_IDS = ("003", "007", "012")

# Common surnames, most frequent first (weights fall with rank).
_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
)
_GIVEN = (
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 婷 雪 琳 晶 颖 欣怡 "
    "子涵 梓萱 浩然 宇轩 思雨 佳怡 雨桐 一诺 诗涵 晨 丹 萍 玲 倩 慧 燕 红 梅 莉 悦 佳 鑫 博 宁 "
    "楠 畅 蕾 晓燕 海燕 文静 嘉怡 俊杰 子轩 欣然 梦琪 雅琴 志强 建华 丽娟 春梅"
).split()

_WEEKDAYS = "Mon,Tue,Wed,Thu,Fri"
#: Pre-approved leave inside the 2026-11-01..11-14 campaign (none on 11-10..11-12).
_DAYS_OFF = (
    "2026-11-03;2026-11-04", "2026-11-13;2026-11-14", "2026-11-01",
    "2026-11-07;2026-11-08", "2026-11-05", "2026-11-14",
)


def _names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct Chinese names (surname + one or two-character given name)."""
    w = 1.0 / (np.arange(len(_SURNAMES)) + 4.0)
    sur = rng.choice(len(_SURNAMES), size=4 * n, p=w / w.sum())
    giv = rng.integers(0, len(_GIVEN), size=4 * n)
    cand = pd.unique(pd.Series([_SURNAMES[s] + _GIVEN[g] for s, g in zip(sur, giv, strict=True)]))
    if len(cand) < n:  # pragma: no cover - 4n draws always suffice for n <= 100
        raise ValueError("sample_agents: not enough distinct names")
    return [str(x) for x in cand[:n]]


def make_agents(seed: int = 2026) -> pd.DataFrame:
    """Agents frame with :data:`AGENT_COLUMNS` (all IDs text; empty strings for "no limit")."""
    rng = np.random.default_rng([seed, 11])
    n = N_PERMANENT + N_PART_TIME
    names = _names(rng, n)
    ids = list(LEGACY_IDS) + [f"A{i:04d}" for i in range(1, N_PERMANENT - len(LEGACY_IDS) + 1)]
    ids += [f"P{i:04d}" for i in range(1, N_PART_TIME + 1)]

    # permanent: seniority drives cost and efficiency; legacy IDs are the most senior
    seniority = np.concatenate([[1.0, 0.95, 0.9], rng.uniform(0.0, 0.85, N_PERMANENT - 3)])
    perm_cost = np.clip(np.round((28 + 12 * seniority + rng.normal(0, 0.8, N_PERMANENT)) * 2) / 2,
                        28.0, 40.0)
    perm_eff = 0.92 + 0.16 * seniority + rng.normal(0, 0.02, N_PERMANENT)
    perm_weekdays = [""] * N_PERMANENT
    perm_from = [""] * N_PERMANENT
    perm_to = [""] * N_PERMANENT
    perm_off = [""] * N_PERMANENT
    # a few restrictions, at positions chosen by the seed (never the legacy seniors)
    picks = 3 + rng.permutation(N_PERMANENT - 3)[:16]
    for k in picks[:6]:  # no night shifts
        perm_from[k], perm_to[k] = "08:00", "23:00"
    for k in picks[6:10]:  # six-day availability
        perm_weekdays[k] = "Mon,Tue,Wed,Thu,Fri,Sat"
    for k, off in zip(picks[10:16], _DAYS_OFF, strict=True):
        perm_off[k] = off

    # part-time: 8 evening (crossing midnight), 6 weekday office hours, 4 weekends, 2 late evening
    pt_weekdays = [""] * 8 + [_WEEKDAYS] * 6 + ["Sat,Sun"] * 4 + [""] * 2
    pt_from = ["18:00"] * 8 + ["09:00"] * 6 + [""] * 4 + ["19:00"] * 2
    pt_to = ["02:00"] * 8 + ["18:00"] * 6 + [""] * 4 + ["23:00"] * 2
    pt_min = rng.integers(12, 17, N_PART_TIME)
    pt_max = rng.integers(24, 31, N_PART_TIME)
    pt_cost = np.round(rng.uniform(22, 30, N_PART_TIME) * 2) / 2
    pt_eff = rng.uniform(0.90, 1.00, N_PART_TIME)
    # weekend-only part-timers can work at most 2 days x 6 h = 12 h a week
    weekend = np.array([w == "Sat,Sun" for w in pt_weekdays])
    pt_min = np.where(weekend, np.minimum(pt_min, 10), pt_min)
    pt_max = np.where(weekend, 12, pt_max)

    frame = pd.DataFrame(
        {
            "agent_id": ids,
            "name": names,
            "agent_type": ["permanent"] * N_PERMANENT + ["part_time"] * N_PART_TIME,
            "contract_hours_per_week": [40] * N_PERMANENT + [0] * N_PART_TIME,
            "min_hours_per_week": [40] * N_PERMANENT + pt_min.tolist(),
            "max_hours_per_week": [54] * N_PERMANENT + pt_max.tolist(),
            "hourly_cost_cny": np.concatenate([perm_cost, pt_cost]),
            "available_weekdays": perm_weekdays + pt_weekdays,
            "available_from": perm_from + pt_from,
            "available_to": perm_to + pt_to,
            "days_off": perm_off + [""] * N_PART_TIME,
            "efficiency": np.round(np.clip(np.concatenate([perm_eff, pt_eff]), 0.9, 1.1), 2),
        }
    )
    return frame[AGENT_COLUMNS]
