"""Texts of the Overview's peak section (dashboard.peak, dashboard.peak_view)."""

TEXTS = {
    "peak.title": ("峰值速览：最差日 {day}", "The peak at a glance: worst day {day}"),
    "peak.caption": (
        "按排班计算的服务水平（排班表对预测咨询量的实际服务能力，而非需求测算时的目标），逐时段；"
        "14 天平均值会掩盖这些时段。",
        "Service of the roster as scheduled against the forecast, per interval (not the level "
        "the requirement was sized for); the 14-day average hides these intervals.",
    ),
    "peak.day_service": ("最差日服务水平", "Worst-day service"),
    "peak.day_service_help": (
        "{day} 按咨询量加权的服务水平（按排班）；箭头为与目标 {target} 的差。",
        "Volume-weighted service level of {day} with the roster as scheduled; the arrow is the "
        "difference to the target {target}.",
    ),
    "peak.worst_interval": ("最差时段服务水平", "Worst interval"),
    "peak.worst_interval_help": (
        "{when} 开始的时段，三分钟响应率 {three}；箭头为与目标的差。",
        "The interval starting {when}; 3-minute response rate {three}; the arrow is the "
        "difference to the target.",
    ),
    "peak.agents_short": ("最大缺口（人）", "Most agents short"),
    "peak.agents_short_help": (
        "当天单个时段缺少的坐席数（需求 − 已排班 × 效率）。",
        "Agents missing in the day's worst interval (required − scheduled × efficiency).",
    ),
    "peak.hours_short": ("当天缺口（人时）", "Hours short that day"),
    "peak.hours_short_help": ("{day} 全天缺少的坐席工时。", "Agent-hours not covered on {day}."),
    "peak.vs_target": ("{pp} 个百分点", "{pp} pp"),
    "peak.worst_table": ("当天最差时段", "The day's worst intervals"),
    "peak.worst_table_help": (
        "服务水平低于目标或缺口至少 {agents} 人的时段，最差的在前。",
        "Intervals under the service target or short by at least {agents} agents, worst first.",
    ),
    "peak.none_worse": (
        "当天没有低于目标或缺人的时段。",
        "No interval of the day is under target or short.",
    ),
    "peak.col_service": ("服务水平（按排班）", "Service as scheduled"),
    "peak.col_three": ("三分钟响应率", "3-minute rate"),
    "peak.col_required": ("需求（人）", "Required"),
    "peak.col_scheduled": ("已排班（人）", "Scheduled"),
    "peak.col_short": ("缺口（人）", "Agents short"),
    "peak.no_shortfall": (
        "排班覆盖了全部需求：没有需要处理的缺口。",
        "The roster covers the requirement: no shortfall to act on.",
    ),
    "peak.limit": ("约束：{limit}。", "Binding limit: {limit}."),
    "peak.action_hire": (
        "**建议：为 {when} 再招 {temps} 名临时工**：工资与招聘费用 +{cost}，减少缺口损失 −{value}"
        "（净{net_word} {net}）。",
        "**Action: hire {temps} more temps for {when}**: +{cost} wages and hiring fees, "
        "−{value} shortfall value (net {net_word} {net}).",
    ),
    "peak.action_service": (
        "该时段最差时段的服务水平（按排班）将从 {before} 升至 {after}。",
        "The period's worst interval would go from {before} to {after} service as scheduled.",
    ),
    "peak.net_saves": ("节省", "saving"),
    "peak.net_costs": ("多花", "cost"),
    "peak.action_none": (
        "**再招临时工并不划算**：一名临时工 {cost_one}，"
        "在 {when} 最多减少 {value_first} 的缺口损失。",
        "**Hiring more temps does not pay here**: one temp costs {cost_one} and removes at most "
        "{value_first} of shortfall value in {when}.",
    ),
    "peak.action_help": (
        "计算方法：新临时工按首日效率 {eff} 计，每人一个班次（至少 {hours} 小时，{hourly}/小时，"
        "另加招聘与培训费 {fee}）；第 k 名临时工覆盖的缺口人时 × 缺口单价 {price}/人时"
        "（场景 `[costs]`）不低于其成本时才计入。只计算该时段，临时工在其他时段的作用未计入。",
        "How: a new temp counts at first-day efficiency {eff}, one shift each (at least {hours} "
        "h at {hourly}/h, plus {fee} hiring and training fees); the k-th temp is counted while "
        "the agent-hours short it covers × the shortfall price {price} per agent-hour (the "
        "scenario's `[costs]`) are worth its cost. Only this period counts, not other use of "
        "the temps.",
    ),
    "peak.action_unpriced": (
        "此运行目录没有 scenario.resolved.toml，无法计算措施的价格。",
        "This run has no scenario.resolved.toml, so the action cannot be priced.",
    ),
    "peak.period": ("{start}–{end}", "{start}–{end}"),
    # binding limits (unmet.csv `binding`, worded by scheduler.roster.pricing.unmet)
    "peak.binding.no_shift_start": (
        "没有允许的班次开始时间能覆盖该时段（班次规则）",
        "no permitted shift start covers this time (shift rules)",
    ),
    "peak.binding.lead_days": (
        "临时工 {date} 前不能上岗（提前期 {days} 天）",
        "temps cannot work before {date} (lead time {days} days)",
    ),
    "peak.binding.pool_exhausted": (
        "临时工池已用尽（已招 {hired} / 上限 {max}）",
        "temp pool exhausted ({hired} of {max} hired)",
    ),
    "peak.binding.cheaper": (
        "留缺口比排班便宜（缺口单价 {price}/人时）",
        "cheaper to leave short than to staff (shortfall price {price} per agent-hour)",
    ),
    "peak.binding.no_temps": (
        "{named}；不允许招临时工（临时工池为 0）",
        "{named}; no temps allowed (pool size 0)",
    ),
    "peak.binding.temps_unused": (
        "{named}；还可再招 {more} 名临时工（已招 {hired} / 上限 {max}），求解器在时限内未用上",
        "{named}; {more} more temps were allowed ({hired} of {max} hired) but the solver did "
        "not use them within its time limit",
    ),
    "peak.binding.temp_too_dear": (
        "{named}；一名临时工（招聘 {fee} + {hourly}/小时）比他能补上的缺口（{price}/人时）更贵",
        "{named}; a temp (hire {fee} + {hourly}/h) costs more than the shortfall it could "
        "remove ({price} per agent-hour)",
    ),
    "peak.named.weekly": ("正式员工与兼职的周工时已到上限", "named agents' weekly hour limits"),
    "peak.named.all": ("可用的正式员工与兼职已全部排班", "all available named agents rostered"),
    "peak.hint.lead_days": (
        "此时段招更多临时工无济于事：需缩短临时工提前期或让正式员工加班。",
        "More temps do not help here: shorten the temps' lead time or add overtime.",
    ),
    "peak.hint.no_shift_start": (
        "调整班次规则（最早/最晚开始时间）才能覆盖此时段。",
        "Change the shift rules (earliest/latest start) to cover this time.",
    ),
    "peak.hint.cheaper": (
        "若缺口的真实代价更高，请提高场景 `[costs]` 中的缺口单价后重新计算。",
        "If a shortfall costs more than that, raise the shortfall price in `[costs]` and re-run.",
    ),
    "peak.hint.temps_unused": (
        "延长求解时间（`[solver] time_limit_s`）后重新计算。",
        "Re-run with a longer solver time limit (`[solver] time_limit_s`).",
    ),
    "peak.day_chart": ("{day} 需求与排班", "Required vs scheduled on {day}"),
}
