"""Texts of the Staffing page (dashboard/views/staffing.py)."""

TEXTS = {
    "staffing.title": ("人力需求", "Staffing"),
    "staffing.caption": (
        "每时段所需坐席（排队模型计算，已按损耗放大）与排班在岗坐席（× 效率，不含休息）；"
        "红色阴影为缺口。",
        "Agents required (Erlang, grossed up for shrinkage) vs agents scheduled on duty "
        "(× efficiency, not on break) per interval; red shading marks the shortfall.",
    ),
    "staffing.empty": ("coverage.csv 没有数据行。", "coverage.csv has no rows."),
    "staffing.peak_required": ("最高需求", "Peak required"),
    "staffing.peak_scheduled": ("最高排班", "Peak scheduled"),
    "staffing.agents_value": ("{value} 人", "{value} agents"),
    "staffing.intervals_short": ("缺人时段", "Intervals short"),
    "staffing.of": ("{count} / {total}", "{count} of {total}"),
    "staffing.intervals_short_help": (
        "缺口至少 {threshold} 人的 {minutes} 分钟时段；另有 {slivers} 个时段只差零头"
        "（不足 {threshold} 人，来自效率取整），未计入。",
        "{minutes}-minute intervals short by at least {threshold} agents; {slivers} more are "
        "short by a sliver (under {threshold}, from agent efficiencies below 1) and are not "
        "counted.",
    ),
    "staffing.hours_short": ("缺口人时", "Agent-hours short"),
    "staffing.hours_short_help": (
        "缺口 × 时段长度之和（含零头）。",
        "Sum of shortfall × interval length (slivers included).",
    ),
    "staffing.short_list": ("缺人时段（{count}）", "Intervals with a shortfall ({count})"),
    "staffing.service": ("按排班的预计服务水平", "Service level as scheduled"),
    "staffing.volume_weighted": ("按咨询量加权", "Volume-weighted"),
    "staffing.mean": ("平均", "Mean"),
    "staffing.lowest": ("最低时段", "Lowest interval"),
    "staffing.target": ("目标", "Target"),
    "staffing.service_caption": (
        "排班表（coverage.csv 的 `scheduled`）对预测咨询量的预计服务水平，逐时段；"
        "不是需求测算时的目标水平（按构造总是 ≥ 目标）。",
        "Service of the roster as scheduled (coverage.csv `scheduled`) against the forecast "
        "volume, per interval; not the level the requirement was sized for (which meets the "
        "target by construction).",
    ),
    "staffing.no_service": (
        "coverage.csv 没有按排班的服务水平列（`expected_service_level`）：请用当前版本重新运行。",
        "coverage.csv has no service-as-scheduled columns (`expected_service_level`): re-run "
        "with this peakplan version.",
    ),
}
