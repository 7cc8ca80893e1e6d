"""Texts of the Review page (复盘): headings, tiles, captions and chart titles.

Column headers and the names of the review's identifiers are in :mod:`dashboard.texts.review_names`.
"""

TEXTS = {
    "review.title": ("复盘", "Review"),
    "review.sidebar_header": ("复盘", "Review"),
    "review.directory": ("复盘目录", "Review directory"),
    "review.other_directory": ("其他复盘目录", "Other review directory"),
    "review.directory_help": (
        "`peakplan review` 的输出目录；out/ 下找到的复盘会列在这里。",
        "Output of `peakplan review`; reviews found under out/ are listed.",
    ),
    "review.caption_dir": ("复盘 `{path}`", "Review `{path}`"),
    "review.caption_missing": ("缺少：{names}", "missing: {names}"),
    "review.no_horizon": ("无时间范围", "horizon n/a"),
    "review.no_rows": (
        "{name} 没有数据行，此部分略过。",
        "{name} has no rows; this section is skipped.",
    ),
    "review.absent": (
        "此复盘目录中没有 {name}，此部分略过。",
        "{name} is not in this review directory; this section is skipped.",
    ),
    "review.na": ("–", "n/a"),
    "review.pp": ("{value} 百分点", "{value} pp"),
    # headline tiles
    "review.wape": ("预测误差 WAPE", "Forecast error (WAPE)"),
    "review.wape_help": (
        "咨询量预测的加权绝对百分比误差（全部阶段）。",
        "Weighted absolute percentage error of the volume forecast, all phases.",
    ),
    "review.bias": ("预测偏差", "Bias"),
    "review.bias_help": (
        "预测量减实际量，相对实际量（< 0：预测偏低）。",
        "Forecast minus actual volume, relative to actual (< 0: under-forecast).",
    ),
    "review.rate": ("三分钟响应率", "3-min response rate"),
    "review.rate_help": (
        "实测三分钟响应率，按咨询量加权；箭头处为与目标之差。",
        "Measured 3-minute response rate, inquiry-weighted over the review; the delta is "
        "against the target.",
    ),
    "review.lost": ("损失咨询", "Lost inquiries"),
    "review.lost_help": (
        "超时响应或放弃、由未达标造成的咨询量{worth}。",
        "Inquiries answered late or abandoned that the miss accounts for{worth}.",
    ),
    "review.lost_worth": ("，价值 {money}", ", worth {money}"),
    "review.hindsight": ("事后最优排班", "Hindsight cost"),
    "review.hindsight_help_none": (
        "此复盘未计算（`--no-hindsight`）。",
        "Not computed for this review (`--no-hindsight`).",
    ),
    "review.hindsight_help": (
        "按实际咨询量重新优化的排班成本（预测完全准确时的成本）{plan}；箭头处为与计划之差。",
        "The roster re-optimised on the actual volume (what a perfect forecast would cost){plan};"
        " the delta is against the plan.",
    ),
    "review.hindsight_plan": ("；计划成本 {money}", "; the plan cost {money}"),
    "review.net_miss": (
        "三分钟响应率总未达标 {value}（按咨询量加权的目标 − 实际；< 0：高于目标）。",
        "Net miss {value} of the 3-minute rate (inquiry-weighted target − actual; < 0: above "
        "target).",
    ),
    # forecast vs actual
    "review.variance": ("预测 vs 实际", "Forecast vs actual"),
    "review.no_band": (
        "variance_intervals.csv 没有 80% 区间列：不显示预测区间。",
        "variance_intervals.csv has no 80 % band columns: the band is not shown.",
    ),
    "review.agents_section": ("排班 vs 在线", "Scheduled vs logged in"),
    "review.no_agents": (
        "variance_intervals.csv 没有排班/在线人数列。",
        "variance_intervals.csv has no scheduled / logged-in columns.",
    ),
    "review.adherence": ("出勤率", "Adherence"),
    "review.adherence_help": ("在线人时 ÷ 排班人时。", "Logged-in ÷ scheduled agent-hours."),
    "review.absent_hours": ("缺勤人时", "Agent-hours absent"),
    "review.absent_hours_help": (
        "排班但未在线的客服 × 时段长度（小时）。",
        "Scheduled agents not logged in × interval length (hours).",
    ),
    "review.under_schedule": ("缺勤时段", "Intervals under schedule"),
    "review.of": ("{part} / {whole}", "{part} of {whole}"),
    # attribution
    "review.attribution": ("归因：未达标从何而来", "Where the miss came from"),
    "review.attribution_caption": (
        "每个时段三分钟响应率的未达标（目标 − 实际）拆分为："
        "排班不足（即使预测准确计划也低于目标）、量预测偏差、处理时长、"
        "出勤执行（在线 vs 排班）和其他；各部分之和等于未达标。",
        "The 3-minute-rate miss (target − actual) per interval, split into schedule (plan below "
        "target even if the forecast were right), volume (forecast error), handle time, "
        "execution (logged in vs scheduled) and other; the parts sum to the miss.",
    ),
    "review.total_miss": ("总未达标", "total miss"),
    "review.points": ("三分钟响应率（百分点）", "pp of 3-min rate"),
    "review.worst_intervals": (
        "未达标最多的时段（{count}）",
        "Intervals with the largest miss ({count})",
    ),
    # breakdowns
    "review.breakdowns": ("细分", "Breakdowns"),
    "review.tab_slots": ("时段", "Time slots"),
    "review.tab_types": ("问题类型", "Question types"),
    "review.tab_agents": ("客服", "Agents"),
    # findings
    "review.findings": ("问题清单", "Findings"),
    "review.findings_caption": (
        "按优先级（影响 × 易改程度）排序；每项都有负责人、期限和量化的验收目标。",
        "Ranked by priority = impact × ease; each with an owner, a deadline and a quantified "
        "acceptance target.",
    ),
    "review.download": (
        "下载跟踪表 tracking.csv（UTF-8 带 BOM，可直接用 Excel 打开）",
        "Download tracking.csv (UTF-8 with BOM, opens in Excel)",
    ),
    "review.download_caption": (
        "下次复盘用它自己的实际数据填写“复查值”和“达标”"
        "（`peakplan review ... --previous THIS_DIR`）。",
        "The next review fills `after` and `met` from its own actuals "
        "(`peakplan review ... --previous THIS_DIR`).",
    ),
    "review.previous": (
        "**上次复盘的跟踪**（复查值和达标按本次实际数据计算）",
        "**Previous review's tracking** (`after`/`met` from these actuals)",
    ),
    "review.events": (
        "建议的活动系数（下次计划的 events.csv）",
        "Suggested events.csv for the next plan",
    ),
    "review.json": ("review.json（原始数据）", "review.json"),
    # charts
    "review.chart_time": ("时间", "Local time"),
    "review.chart_interval": ("时段开始", "interval start"),
    "review.chart_inquiries": ("每时段咨询量", "Inquiries per interval"),
    "review.chart_forecast": ("预测", "forecast"),
    "review.chart_actual": ("实际", "actual"),
    "review.chart_series": ("序列", "series"),
    "review.chart_agents": ("客服人数", "Agents"),
    "review.chart_scheduled": ("排班", "scheduled"),
    "review.chart_logged_in": ("在线", "logged in"),
    "review.chart_miss": ("未达标（三分钟响应率百分点）", "Miss (3-min rate points)"),
    "review.chart_part": ("归因", "Part"),
    "review.chart_share": ("占比", "share"),
}
