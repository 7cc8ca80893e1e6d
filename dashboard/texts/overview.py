"""Texts of the Overview page (dashboard/views/overview.py)."""

TEXTS = {
    "overview.caption": (
        "运行 `{path}` · {start} → {end} · 每时段 {minutes} 分钟",
        "Run `{path}` · {start} → {end} · {minutes}-minute intervals",
    ),
    "overview.created": (" · 创建于 {created}", " · created {created}"),
    "overview.cost": ("成本（元）", "Cost (CNY)"),
    "overview.total_cost": ("总成本", "Total cost"),
    "overview.total_cost_help": (
        "所有排班班次的工资（roster.csv 中 `cost_cny` 之和）；罚金不是现金支出。"
        "正式员工合同工时内的"
        "工资已发放（沉没成本），这里只计加班。",
        "Wages of all rostered shifts (sum of roster.csv `cost_cny`); penalties are not cash. "
        "Permanent agents' contract hours are salaried (sunk), so their cost here is overtime.",
    ),
    "overview.cost_of": ("{type}成本", "Cost {type}"),
    "overview.shortfall_penalty": ("缺口罚金", "Shortfall penalty"),
    "overview.penalty_help": (
        "未覆盖人时的目标函数罚金（不是现金成本）。",
        "Objective penalty for uncovered agent-hours (not a cash cost).",
    ),
    "overview.objective_help": (" 目标函数合计 {total}", " Objective total {total}"),
    "overview.overstaff_help": (
        "，其中超编罚金 {penalty}", ", incl. overstaffing penalty {penalty}"
    ),
    "overview.staff": ("人员", "Staff"),
    "overview.headcount_of": ("{type}人数", "Headcount {type}"),
    "overview.paid_hours": ("带薪工时 {hours} 小时", "{hours} paid hours"),
    "overview.hours_short": ("缺口人时", "Agent-hours short"),
    "overview.hours_short_help": (
        "排班未覆盖的需求人时（见下表）。需求合计 {required} 人时。",
        "Required agent-hours that the roster does not cover (see the table below). Required "
        "in total: {required} agent-hours.",
    ),
    "overview.unmet_periods": ("缺口时段", "Unmet periods"),
    "overview.unmet_help": (
        "连续缺人的时段（unmet.csv），只计缺口至少 {threshold} 人时的时段；{slivers} 个更小的"
        "零头时段（共 {sliver_hours} 人时，来自效率取整）未计入。",
        "Contiguous runs of intervals with a shortfall (unmet.csv) of at least {threshold} "
        "agent-hours; {slivers} smaller sliver(s) ({sliver_hours} agent-hours in all, from "
        "agent efficiencies below 1) are not counted.",
    ),
    "overview.service": ("服务", "Service"),
    "overview.service_level": ("预计服务水平", "Expected service level"),
    "overview.service_level_help": (
        "整个周期按咨询量加权，按排班计算；箭头为与目标的差。",
        "Volume-weighted over the horizon, with the roster as scheduled; the arrow is the "
        "difference to the target.",
    ),
    "overview.target": ("目标服务水平", "Target service level"),
    "overview.target_within": ("目标（{seconds} 秒内）", "Target within {seconds} s"),
    "overview.shortfall": ("缺口", "Shortfall"),
    "overview.asa": ("平均应答时间", "Expected ASA"),
    "overview.abandon": ("放弃率", "Abandon rate"),
    "overview.seconds": ("{value} 秒", "{value} s"),
    "overview.volume_weighted": ("按咨询量加权。", "Volume-weighted."),
    "overview.under_target": ("未达标时段", "Intervals under target"),
    "overview.under_target_help": (
        "有咨询量的时段中，预计服务水平低于目标的比例{three}。",
        "Share of intervals (with volume) whose expected service level is below the target"
        "{three}.",
    ),
    "overview.under_three_help": (
        "；{share} 低于三分钟响应率目标", "; {share} are below the 3-minute response-rate target"
    ),
    "overview.solver": ("求解器", "Solver"),
    "overview.solver_status": ("求解状态", "Solver status"),
    "overview.gap": ("最优性差距", "Optimality gap"),
    "overview.gap_help": (
        "（目标值 − 最优下界）/ 目标值；目标值最多比最优高 {amount}。"
        "100% 表示没有证明出有用的下界。",
        "(objective - best bound) / objective; the objective is at most {amount} above the "
        "optimum. 100 % means no useful bound was proven.",
    ),
    "overview.gap_parts": (
        "差距构成（排班 − 线性规划下界的解，元）：{parts}。",
        " The gap by cost category (roster − the LP bound's solution, CNY): {parts}.",
    ),
    "overview.part_sep": ("，", ", "),
    "overview.part.permanent_overtime": ("正式工加班", "permanent overtime"),
    "overview.part.part_time": ("兼职", "part-time"),
    "overview.part.temporary": ("临时工", "temporaries"),
    "overview.part.shortfall": ("缺口罚金", "shortfall"),
    "overview.part.overstaff": ("超编罚金", "overstaff"),
    "overview.solve_time": ("求解时间", "Solve time"),
    "overview.objective": ("目标值", "Objective"),
    "overview.objective_tile_help": (
        "元：工资加缺口与超编罚金。",
        "CNY: wages plus shortfall and overstaffing penalties.",
    ),
    "overview.bound": ("最优下界", "Best bound"),
    "overview.bound_help": (
        "目标值不可能低于此值（元，来源：{source}）。",
        "The objective cannot be below this (CNY, from {source}).",
    ),
    "overview.no_validation": (
        "运行摘要中没有校验结果。", "The run summary has no validator result."
    ),
    "overview.valid": (
        "校验：排班满足全部劳动规则（0 项违规）。",
        "Validator: the roster satisfies every labour rule (0 violations).",
    ),
    "overview.violations": (
        "校验：{count} 项违规。排班违反劳动规则，运行以退出码 3 结束；请先修正再发布。",
        "Validator: {count} violation(s). The roster breaks labour rules and the run exited "
        "with code 3; fix them before publishing it.",
    ),
    "overview.violations_accepted": (
        "校验：{count} 项违规，均为每周最低工时，已按场景设置 "
        "`[rules] soft_weekly_minimums = true` 接受。",
        "Validator: {count} violation(s), all weekly minimum hours, accepted because the "
        "scenario sets `[rules] soft_weekly_minimums = true`.",
    ),
    "overview.violation_rule": (
        "`{rule}`：{count} 项（员工 {agents}）", "`{rule}`: {count} (agents {agents})"
    ),
    "overview.violation_rule_no_agents": ("`{rule}`：{count} 项", "`{rule}`: {count}"),
    "overview.more_agents": ("… 共 {count} 人", ", … {count} in all"),
    "overview.accepted_rule": ("（已接受）", " (accepted)"),
    "overview.first_violations": ("前几项违规：", "First violations:"),
    "overview.unmet": ("未满足的需求", "Unmet demand"),
    "overview.unmet_missing": (
        "运行目录中缺少 unmet.csv。", "unmet.csv is missing from the run directory."
    ),
    "overview.all_covered": (
        "每个时段都已覆盖：没有未满足的需求。", "Every interval is covered: no unmet demand."
    ),
    "overview.unmet_caption": (
        "{count} 个时段排班人数低于需求（缺口至少 {threshold} 人时）；"
        "“约束”列说明是什么限制了增加人手。",
        "{count} period(s) where the scheduled agents fall short of the requirement (at least "
        "{threshold} agent-hours); the limit column names what prevented more staff.",
    ),
    "overview.slivers_only": (
        "只有 {slivers} 个零头缺口时段（共 {hours} 人时，每个少于 {threshold} 人时）。",
        "Only {slivers} sliver period(s) short ({hours} agent-hours in all, each under "
        "{threshold}).",
    ),
    "overview.col_hours_short": ("缺口人时", "Agent-hours short"),
    "overview.col_peak_short": ("最大缺口（人）", "Most agents short"),
    "overview.col_limit": ("约束", "Binding limit"),
    "overview.status.OPTIMAL": ("最优", "OPTIMAL"),
    "overview.status.FEASIBLE": ("可行解", "FEASIBLE"),
    "overview.status.INFEASIBLE": ("无可行解", "INFEASIBLE"),
    "overview.status.UNKNOWN": ("未知", "UNKNOWN"),
    "overview.status.MODEL_INVALID": ("模型无效", "MODEL_INVALID"),
}
