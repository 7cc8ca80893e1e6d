"""Chinese and English for the dashboard: one translation table, the language switch, and
numbers and dates in the chosen locale.

Every text a page shows goes through :func:`t` (``t("overview.title")``). The table is the union
of the ``TEXTS`` dicts of the modules in ``dashboard/texts/`` (one per page, ``key -> (zh,
en)``); a key defined twice is an error at import. Identifiers that come from the data — event
phases, agent types, event families — go through :func:`phase_name`, :func:`agent_type_name`
and :func:`event_name`; an identifier the table does not know is shown as it is (data the user
named themselves).

The language is ``st.session_state["lang"]`` (``"zh"`` or ``"en"``), set by the sidebar switch
(:func:`language_switch`); before the user chooses, Chinese when the browser asks for it
(``st.context.locale`` starting with ``zh``), else English.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import pkgutil
from collections.abc import Mapping

import pandas as pd
import streamlit as st

LANG_KEY = "lang"
LANGS = ("zh", "en")

#: Event phases (events.csv ``phase``), as a Chinese CS manager names them.
PHASES: Mapping[str, tuple[str, str]] = {
    "ordinary": ("日常", "ordinary"),
    "warm_up": ("预热", "warm-up"),
    "presale": ("预售", "pre-sale"),
    "deposit_payment": ("定金/尾款", "deposit & balance"),
    "peak": ("峰值", "peak"),
    "main": ("正式", "main"),
    "tail": ("收尾", "wind-down"),
    "after_sales": ("售后", "after-sales"),
    "backlog": ("积压", "backlog"),
    "closure": ("停工", "closure"),
}

#: Agent types (agents.csv ``agent_type`` and the temporary pool).
AGENT_TYPES: Mapping[str, tuple[str, str]] = {
    "permanent": ("正式员工", "permanent"),
    "part_time": ("兼职", "part-time"),
    "temporary": ("临时工", "temporary"),
}

#: Event families (events.csv ``event``).
EVENTS: Mapping[str, tuple[str, str]] = {
    "double11": ("双11", "Double 11"),
    "double12": ("双12", "Double 12"),
    "618": ("618", "618"),
    "womens_day": ("女王节", "Women's Day"),
    "cny": ("春节", "Spring Festival"),
}


def _load_texts() -> dict[str, tuple[str, str]]:
    from dashboard import texts

    table: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dashboard.texts.{info.name}")
        for key, pair in getattr(module, "TEXTS", {}).items():
            if key in table:
                raise ValueError(f"dashboard/texts/{info.name}.py: key {key!r} defined twice")
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ValueError(f"dashboard/texts/{info.name}.py: {key!r} is not (zh, en)")
            table[key] = pair
    return table


TEXTS: dict[str, tuple[str, str]] = _load_texts()


def browser_lang() -> str:
    """``zh`` when the browser's locale is Chinese, else ``en`` (``en`` outside a session)."""
    try:
        locale = st.context.locale or ""
    except Exception:  # no script run context (plain import, tests)
        locale = ""
    return "zh" if str(locale).lower().startswith("zh") else "en"


_last_lang = {"value": "en"}


def lang() -> str:
    """The current language: the user's choice, else the browser's. Outside a script run
    (AppTest formats widget options after the run) the language of the last run."""
    try:
        chosen = st.session_state.get(LANG_KEY)
    except Exception:  # no session at all
        chosen = None
    if chosen not in LANGS:
        if not _in_script_run():
            return _last_lang["value"]
        chosen = browser_lang()
    _last_lang["value"] = chosen
    return chosen


def _in_script_run() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True) is not None


def _pick(pair: tuple[str, str], language: str | None = None) -> str:
    return pair[0] if (language or lang()) == "zh" else pair[1]


def t(key: str, **values: object) -> str:
    """The text ``key`` in the current language, ``str.format``-ed with ``values``.

    Raises KeyError for a key no ``dashboard/texts`` module defines (a test checks every key a
    view uses)."""
    text = _pick(TEXTS[key])
    return text.format(**values) if values else text


def phase_name(phase: object) -> str:
    """Display name of an event phase identifier (``peak`` -> 峰值 / peak)."""
    return _pick(PHASES[phase]) if phase in PHASES else str(phase)


def agent_type_name(agent_type: object) -> str:
    """Display name of an agent type identifier (``part_time`` -> 兼职 / part-time)."""
    return _pick(AGENT_TYPES[agent_type]) if agent_type in AGENT_TYPES else str(agent_type)


def event_name(event: object) -> str:
    """Display name of an event family (``double11`` -> 双11 / Double 11)."""
    return _pick(EVENTS[event]) if event in EVENTS else str(event)


def number(value: object, decimals: int = 0) -> str:
    """A number with thousands separators (both locales use ``,``), ``–`` for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]


def money(value: object, decimals: int = 0) -> str:
    """CNY: ``¥12,345`` in both locales (the symbol a Chinese manager reads)."""
    shown = number(value, decimals)
    return shown if shown == "–" else f"¥{shown}"


def percent(value: object, decimals: int = 1) -> str:
    """A share 0–1 as ``96.2%``; ``–`` for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.{decimals}f}%"  # type: ignore[arg-type]


_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def day(value: dt.date | pd.Timestamp, weekday: bool = True) -> str:
    """A calendar day: ``11月11日 周三`` (zh) or ``11-11 Wed`` (en)."""
    value = pd.Timestamp(value)
    if lang() == "zh":
        text = f"{value.month}月{value.day}日"
        return f"{text} {_WEEKDAYS_ZH[value.weekday()]}" if weekday else text
    return value.strftime("%m-%d %a" if weekday else "%m-%d")


def moment(value: dt.datetime | pd.Timestamp) -> str:
    """A day and time: ``11月11日 00:00`` (zh) or ``11-11 00:00`` (en)."""
    value = pd.Timestamp(value)
    return f"{day(value, weekday=False)} {value:%H:%M}"


def language_switch() -> str:
    """The sidebar's 中文 / English switch; returns the language now in force."""
    current = lang()
    choice = st.sidebar.radio(
        "语言 / Language",
        LANGS,
        index=LANGS.index(current),
        format_func=lambda code: "中文" if code == "zh" else "English",
        horizontal=True,
        key="lang_switch",
    )
    st.session_state[LANG_KEY] = choice
    return choice
