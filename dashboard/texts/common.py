"""Texts shared by several pages: run loading, the day slider, chart axes and series."""

TEXTS = {
    "common.na": ("无", "n/a"),
    "common.choose_run": (
        "请在侧栏选择运行目录（`peakplan run S.toml --out DIR` 的输出）。",
        "Choose a run directory in the sidebar (`peakplan run S.toml --out DIR`).",
    ),
    "common.cannot_show_run": ("无法显示此运行：{error}", "Cannot show this run: {error}"),
    "common.cannot_read_run": (
        "无法读取运行目录 {path}：{error}",
        "Cannot read run directory {path}: {error}",
    ),
    "common.loading_run": ("正在加载运行…", "Loading run…"),
    "common.loading_review": ("正在加载复盘…", "Loading review…"),
    "common.no_review": (
        "没有复盘目录：请运行 `peakplan review --run RUN_DIR --actuals DIR --out DIR`，"
        "再在侧栏选择输出目录。",
        "No review directory: run `peakplan review --run RUN_DIR --actuals DIR --out DIR`, "
        "then choose the output in the sidebar.",
    ),
    "common.cannot_show_review": ("无法显示复盘：{error}", "Cannot show this review: {error}"),
    "common.cannot_read_review": (
        "无法读取复盘目录 {path}：{error}",
        "Cannot read review directory {path}: {error}",
    ),
    "common.days": ("日期", "Days"),
    "common.local_time": ("当地时间", "Local time"),
    "common.interval_start": ("时段开始", "Interval start"),
    "common.agents": ("坐席数", "Agents"),
    "common.required": ("需求", "required"),
    "common.scheduled": ("已排班", "scheduled"),
    "common.shortfall": ("缺口", "shortfall"),
    "common.agents_short": ("缺少坐席", "agents short"),
    "common.phase": ("大促阶段", "Promotion phase"),
    "common.start": ("开始", "Start"),
    "common.end": ("结束", "End"),
    "common.service_level": ("预计服务水平（按排班）", "Service level as scheduled"),
    "common.target": ("目标", "target"),
    "common.mean": ("均值", "mean"),
    "common.lower_80": ("80% 下限", "80% lower"),
    "common.upper_80": ("80% 上限", "80% upper"),
    "common.lower_95": ("95% 下限", "95% lower"),
    "common.upper_95": ("95% 上限", "95% upper"),
    "common.inquiries": ("每时段咨询量", "Inquiries per interval"),
}
