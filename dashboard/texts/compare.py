"""Texts of the Compare page (方案对比): headings, widgets, table headers, chart titles and the
names of the figures of ``peakplan compare`` (``compare.figure.<summary.json key>``)."""

_FIGURES = {
    "scenario.name": ("场景", "scenario"),
    "run.horizon_start": ("周期开始", "horizon start"),
    "run.horizon_end": ("周期结束", "horizon end"),
    "cost_cny.permanent": ("正式员工加班成本（元）", "cost permanent overtime, CNY"),
    "cost_cny.part_time": ("兼职成本（元）", "cost part-time, CNY"),
    "cost_cny.temporary": ("临时工成本（元）", "cost temporary, CNY"),
    "cost_cny.wages_total": ("工资合计（元）", "wages total, CNY"),
    "cost_cny.objective_total": ("目标函数值（元）", "objective, CNY"),
    "headcount.temporary": ("临时工人数", "temp headcount"),
    "hours.paid_permanent": ("正式员工计薪工时", "paid hours permanent"),
    "hours.paid_part_time": ("兼职计薪工时", "paid hours part-time"),
    "hours.paid_temporary": ("临时工计薪工时", "paid hours temporary"),
    "service.target_service_level": ("服务水平目标", "service level (target)"),
    "service.expected_service_level": ("整体服务水平", "service level overall"),
    "service.worst_day.date": ("最差日", "worst day"),
    "service.worst_day.expected_service_level": ("最差日服务水平", "worst day service level"),
    "service.worst_interval.timestamp": ("最差时段", "worst interval"),
    "service.worst_interval.expected_service_level": (
        "最差时段服务水平",
        "worst interval service level",
    ),
    "service.worst_interval.expected_three_min_rate": (
        "最差时段三分钟响应率",
        "worst interval 3-minute rate",
    ),
    "service.expected_three_min_rate": ("三分钟响应率", "3-minute rate"),
    "hours.short_agent_hours": ("缺口人时", "shortfall, agent-hours"),
    "cost_cny.shortfall_penalty": ("缺口损失（元）", "shortfall value, CNY"),
    "solver.status": ("求解状态", "solver status"),
    "solver.gap": ("求解差距", "solver gap"),
    "solver.deterministic": ("可复现", "deterministic"),
    "validation.violations": ("校验违规数", "validator violations"),
    "validation.accepted": ("违规已接受（软规则）", "violations accepted (soft rules)"),
}

TEXTS = {
    **{f"compare.figure.{k}": v for k, v in _FIGURES.items()},
    "compare.title": ("方案对比", "Compare runs"),
    "compare.loading": ("正在读取运行…", "Loading runs…"),
    "compare.folder": ("运行文件夹", "Runs folder"),
    "compare.folder_help": (
        "列出此文件夹下的运行目录和 `peakplan frontier` 扫描。",
        "Run directories and `peakplan frontier` sweeps below this folder are listed.",
    ),
    "compare.runs": ("要对比的运行", "Runs to compare"),
    "compare.runs_help": (
        "第一个运行是逐时段差异的基准。默认：最新一次扫描的全部运行，否则最新的两个运行。",
        "The first run is the reference of the per-interval differences. Default: every "
        "run of the newest sweep, else the two newest runs.",
    ),
    "compare.no_runs": ("`{folder}` 下没有运行目录。", "No run directories under `{folder}`."),
    "compare.choose": (
        "请选择两个或更多运行进行对比（`peakplan run S.toml --variant NAME --out DIR`，"
        "或一次 `peakplan frontier` 扫描）。",
        "Choose two or more runs to compare (`peakplan run S.toml --variant NAME --out DIR`, "
        "or a `peakplan frontier` sweep).",
    ),
    "compare.cannot_read": ("无法读取运行 `{folder}`：{why}", "Cannot read run `{folder}`: {why}"),
    "compare.too_few": (
        "所选运行中可读取的少于两个；请至少选择两个可读取的运行。",
        "Fewer than two of the chosen runs could be read; choose at least two readable runs.",
    ),
    "compare.side_by_side": ("并列对比", "Side by side"),
    "compare.side_caption": (
        "每个数字都与各运行的 summary.json 完全一致；与 `peakplan compare RUN…` 的表相同。",
        "Every figure exactly as in each run's summary.json (`key`); the same table as "
        "`peakplan compare RUN…`.",
    ),
    "compare.col_figure": ("指标", "figure"),
    "compare.col_key": ("summary.json 字段", "key"),
    "compare.yes": ("是", "yes"),
    "compare.no": ("否", "no"),
    "compare.status.OPTIMAL": ("最优", "OPTIMAL"),
    "compare.status.FEASIBLE": ("可行", "FEASIBLE"),
    "compare.status.INFEASIBLE": ("不可行", "INFEASIBLE"),
    "compare.status.UNKNOWN": ("未知", "UNKNOWN"),
    "compare.download": (
        "下载此表 compare.csv（UTF-8 带 BOM，可直接用 Excel 打开）",
        "Download the table (CSV, UTF-8 with BOM, opens in Excel)",
    ),
    "compare.frontier": ("成本 vs 服务", "Cost vs service"),
    "compare.no_points": (
        "这些运行都没有同时包含工资和预期服务水平，无法作图。",
        "None of these runs has both wages and an expected service level to plot.",
    ),
    "compare.frontier_caption": (
        "工资（元）对比排班的预期服务水平。若另一运行成本不更高、服务至少一样好且至少一项更好，"
        "则该运行被占优（空心灰点）；红色虚线为服务水平目标。",
        "Wages (CNY) against the expected service level of the roster as scheduled. A run is "
        "dominated (hollow grey) when another costs no more and serves at least as well, "
        "strictly better in one; the dashed red line is the service-level target.",
    ),
    "compare.not_plotted": (
        "未作图（缺工资或服务水平）：{runs}",
        "Not plotted (no wages or service level): {runs}",
    ),
    "compare.col_run": ("运行", "run"),
    "compare.col_label": ("方案 / 覆盖参数", "variant / overrides"),
    "compare.col_wages": ("工资（元）", "wages, CNY"),
    "compare.col_service": ("服务水平", "service level"),
    "compare.col_rate": ("三分钟响应率", "3-minute rate"),
    "compare.col_short": ("缺口人时", "short agent-hours"),
    "compare.col_dominated": ("被占优", "dominated"),
    "compare.col_dominated_by": ("被谁占优", "dominated by"),
    "compare.col_status": ("状态", "status"),
    "compare.col_target": ("服务水平目标", "service-level target"),
    "compare.intervals": ("逐时段差异", "Per-interval differences"),
    "compare.intervals_not_shown": (
        "不显示逐时段差异：{why}",
        "Per-interval differences not shown: {why}",
    ),
    "compare.note": ("注意：{note}。", "Note: {note}."),
    "compare.no_shared": ("这些运行没有共同的时段。", "These runs share no interval."),
    "compare.intervals_caption": (
        "每个时段在岗客服数（标出 `{first}` 的高峰），然后是各运行减去 `{first}` 的差："
        "排班人数和缺口（低于需求的人数）。",
        "Agents on duty per interval (peak of `{first}` marked), then each run minus "
        "`{first}`: scheduled agents and shortfall (agents short of the requirement).",
    ),
    "compare.download_intervals": (
        "下载逐时段表 compare-intervals.csv（UTF-8 带 BOM）",
        "Download the per-interval table (CSV, UTF-8 with BOM)",
    ),
    # charts
    "compare.on_frontier": ("前沿上", "on the frontier"),
    "compare.dominated": ("被占优", "dominated"),
    "compare.chart_time": ("时间", "Local time"),
    "compare.chart_interval": ("时段开始", "interval start"),
    "compare.chart_wages": ("工资（元）", "Wages, CNY"),
    "compare.chart_service": ("预期服务水平", "Expected service level"),
    "compare.chart_target": ("目标 {value}", "target {value}"),
    "compare.chart_scheduled": ("排班人数", "Agents scheduled"),
    "compare.chart_peak": ("高峰", "peak"),
    "compare.measure.scheduled": ("排班人数", "scheduled agents"),
    "compare.measure.shortfall": ("缺口（人）", "shortfall (agents)"),
    "compare.chart_minus": ("{label}：减去 {first}", "{label}: minus {first}"),
    "compare.chart_this_run": ("{label}，本运行", "{label}, this run"),
    "compare.chart_minus_first": ("减去 {first}", "minus {first}"),
}
