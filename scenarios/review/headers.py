"""The one table that maps a shop back-end's actuals headers (Chinese or English) to peakplan's.

Each actuals file kind (``intervals`` = hourly.csv / intervals.csv, ``question_types``,
``agents``) has its fields in order, each with a value kind, whether it is required and the
headers accepted for it. Headers are compared after :func:`normalise` (Unicode NFKC, so
full-width ``（秒）`` equals ``(秒)``; case-folded; all white space removed). ``docs/actuals.md``
holds :func:`markdown_table`'s output between markers, and a test keeps the two equal.

Value kinds: ``time`` (date-time, local), ``date`` (a day), ``hour`` (hour of day: ``0``,
``00:00``, ``0点`` or ``00:00-01:00``), ``text``, ``count`` (chats or inquiries, >= 0),
``rate`` (share 0–1, written ``0.95`` or ``95%``), ``seconds`` (>= 0, at most a day),
``score`` (CSAT 1–5), ``agents`` (agents, >= 0), ``hours`` (paid hours in a day, 0–24).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Field", "FIELDS", "KINDS", "COLUMNS", "FILE_TITLES", "normalise", "match_headers",
    "markdown_table",
]


@dataclass(frozen=True)
class Field:
    """One peakplan field of an actuals file and the headers a shop export may use for it."""

    name: str
    kind: str
    required: bool
    aliases: tuple[str, ...]
    meaning: str


KINDS = ("time", "date", "hour", "text", "count", "rate", "seconds", "score", "agents", "hours")

_T = ("timestamp", "time", "datetime", "interval_start", "时间", "日期时间", "统计时间",
      "开始时间", "时间段开始")
_DATE = ("date", "day", "日期", "统计日期")
_HOUR = ("hour", "小时", "时段", "时间段", "统计时段")
_FIRST = ("first_response_s", "avg_first_response_s", "首次响应时间(秒)", "平均首次响应时间(秒)",
          "首次响应时长(秒)", "首响时间(秒)", "平均首响时长(秒)")
_AVG = ("avg_response_s", "response_s", "平均响应时间(秒)", "平均响应时长(秒)", "响应时间(秒)")
_TIMEOUT = ("timeout_chats", "timeouts", "超时", "超时会话数", "超时会话", "超时未回复数")
_FCR = ("fcr", "first_contact_resolution", "首问解决率", "一次解决率")
_CSAT = ("csat", "满意度", "客户满意度", "满意度评分")
_CONV = ("conversion", "inquiry_conversion", "询单转化率", "转化率")

FIELDS: dict[str, tuple[Field, ...]] = {
    "intervals": (
        Field("timestamp", "time", True, _T,
              "start of the interval (hourly or 30-minute), local time"),
        Field("date", "date", False, _DATE, "day, only together with `hour` (no `timestamp`)"),
        Field("hour", "hour", False, _HOUR, "hour of day, only together with `date`"),
        Field("volume", "count", True,
              ("volume", "inquiries", "chats", "咨询量", "接待量", "咨询人数", "总咨询量"),
              "all inquiries in the interval, including the ones the bot resolved"),
        Field("handled_by_bot", "count", False,
              ("handled_by_bot", "bot_resolved", "bot_handled", "机器人接待量", "机器人解决量",
               "机器人独立接待量"),
              "inquiries the bot resolved without an agent"),
        Field("handle_s", "seconds", False,
              ("handle_s", "avg_handle_s", "aht_s", "平均处理时长(秒)", "平均接待时长(秒)",
               "平均会话时长(秒)"),
              "seconds a chat occupies one of an agent's parallel slots (with concurrency)"),
        Field("first_response_s", "seconds", False, _FIRST,
              "average first response of chats handed to agents, seconds"),
        Field("avg_response_s", "seconds", False, _AVG, "average per-message response, seconds"),
        Field("three_min_rate", "rate", False,
              ("three_min_rate", "three_min_response_rate", "three_minute_rate", "三分钟响应率",
               "3分钟响应率"),
              "share of first responses within 180 s (三分钟响应率)"),
        Field("timeout_chats", "count", False, _TIMEOUT, "chats that waited more than 180 s"),
        Field("abandoned_chats", "count", False,
              ("abandoned_chats", "abandoned", "放弃", "放弃会话数", "未接待", "未接待数"),
              "chats that gave up before an agent answered"),
        Field("agents_logged_in", "agents", False,
              ("agents_logged_in", "agents_online", "在线客服数", "在线人数", "在线客服"),
              "agents logged in (mean over the interval)"),
        Field("fcr", "rate", False, _FCR, "first-contact resolution (首问解决率), share"),
        Field("csat", "score", False, _CSAT, "customer satisfaction, 1–5"),
        Field("conversion", "rate", False, _CONV,
              "inquiry-to-order conversion (询单转化率) of pre-sale inquiries, share"),
    ),
    "question_types": (
        Field("timestamp", "time", True, _T + _DATE,
              "start of the interval (or the day), local time"),
        Field("hour", "hour", False, _HOUR, "hour of day, when `timestamp` holds only the day"),
        Field("question_type", "text", True,
              ("question_type", "type", "category", "问题类型", "咨询类型", "问题分类"),
              "question type (售前咨询, 物流, 退换货, ...)"),
        Field("volume", "count", True,
              ("volume", "inquiries", "chats", "咨询量", "接待量", "咨询人数"),
              "inquiries of this type, including bot-resolved"),
        Field("first_response_s", "seconds", False, _FIRST, "average first response, seconds"),
        Field("avg_response_s", "seconds", False, _AVG, "average per-message response, seconds"),
        Field("bot_resolved_share", "rate", False,
              ("bot_resolved_share", "bot_share", "机器人解决率", "机器人独立解决率"),
              "share of this type's inquiries the bot resolved"),
        Field("timeout_chats", "count", False, _TIMEOUT, "chats that waited more than 180 s"),
        Field("fcr", "rate", False, _FCR, "first-contact resolution, share"),
        Field("csat", "score", False, _CSAT, "customer satisfaction, 1–5"),
        Field("conversion", "rate", False, _CONV,
              "inquiry-to-order conversion (pre-sale types; empty for after-sales types)"),
    ),
    "agents": (
        Field("date", "date", True, _DATE, "working day"),
        Field("agent_id", "text", True,
              ("agent_id", "agent", "客服id", "工号", "客服工号", "子账号", "客服昵称", "旺旺"),
              "agent ID as in agents.csv (text: leading zeros kept)"),
        Field("handled_chats", "count", True,
              ("handled_chats", "handled", "chats", "接待量", "接待人数", "接待会话数"),
              "chats the agent served that day"),
        Field("avg_response_s", "seconds", False, _AVG, "the agent's average response, seconds"),
        Field("csat", "score", False, _CSAT, "the agent's customer satisfaction, 1–5"),
        Field("hours", "hours", False,
              ("hours", "paid_hours", "工时", "工时(小时)", "在线时长(小时)", "在线时长"),
              "hours logged that day"),
    ),
}

#: Columns of the loaded frames, per file kind (``date``/``hour`` fold into ``timestamp``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "intervals": tuple(f.name for f in FIELDS["intervals"] if f.name not in ("date", "hour")),
    "question_types": tuple(
        f.name for f in FIELDS["question_types"] if f.name != "hour"),
    "agents": tuple(f.name for f in FIELDS["agents"]),
}

FILE_TITLES = {
    "intervals": "hourly.csv (or intervals.csv): one row per hour or half hour",
    "question_types": "question_types.csv: one row per interval (or day) and question type",
    "agents": "agents.csv: one row per agent per working day",
}


def normalise(header: str) -> str:
    """A header as compared: NFKC (full-width to ASCII), case-folded, no white space."""
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    return "".join(text.split())


def match_headers(columns: Iterable[str], kind: str) -> tuple[dict[str, str], list[str]]:
    """Map a file's headers to field names.

    Returns ``(mapping, clashes)``: ``mapping`` field name -> the file's header; ``clashes`` the
    field names that two headers of the file both map to (the first header wins in
    ``mapping``). Headers that match no field are ignored (exports carry many more columns).
    """
    lookup = {normalise(a): f.name for f in FIELDS[kind] for a in (f.name, *f.aliases)}
    mapping: dict[str, str] = {}
    clashes: list[str] = []
    for column in columns:
        name = lookup.get(normalise(column))
        if name is None:
            continue
        if name in mapping:
            clashes.append(name)
        else:
            mapping[name] = column
    return mapping, clashes


def markdown_table(kind: str) -> str:
    """The header table of one file kind as Markdown (for docs/actuals.md)."""
    lines = ["| field | kind | required | accepted headers | meaning |", "|---|---|---|---|---|"]
    for f in FIELDS[kind]:
        names = ", ".join(f"`{a}`" for a in dict.fromkeys((f.name, *f.aliases)))
        lines.append(f"| `{f.name}` | {f.kind} | {'yes' if f.required else ''} | {names} | "
                     f"{f.meaning} |")
    return "\n".join(lines)
