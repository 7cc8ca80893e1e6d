"""Texts of app.py: the navigation and the run chooser in the sidebar."""

TEXTS = {
    "nav.overview": ("总览", "Overview"),
    "nav.plan": ("计划", "Plan"),
    "nav.forecast": ("预测", "Forecast"),
    "nav.staffing": ("人力需求", "Staffing"),
    "nav.roster": ("排班", "Roster"),
    "nav.review": ("复盘", "Review"),
    "nav.compare": ("方案对比", "Compare"),
    "app.run_header": ("方案运行", "Run"),
    "app.run_directory": ("运行目录", "Run directory"),
    "app.other_run_directory": ("其他运行目录", "Other run directory"),
    "app.run_help": (
        "`peakplan run S.toml --out DIR` 的输出目录；out/ 下找到的运行会列在这里。",
        "Output of `peakplan run S.toml --out DIR`; runs found under out/ are listed.",
    ),
    "app.showing": ("当前显示 `{path}`", "Showing `{path}`"),
}
