"""Texts of the Forecast page (dashboard/views/forecast.py)."""

TEXTS = {
    "forecast.title": ("咨询量预测", "Forecast"),
    "forecast.caption": (
        "每时段咨询量的均值预测及 80% / 95% 预测区间；阴影为 events.csv 中的大促阶段。",
        "Mean forecast of inquiries per interval with 80 % and 95 % prediction bands; "
        "shaded rectangles are the promotion phases from events.csv.",
    ),
    "forecast.queue": ("队列", "Queue"),
    "forecast.empty": ("forecast.csv 没有数据行。", "forecast.csv has no rows."),
    "forecast.no_events": (
        "缺少 events.csv：大促阶段没有阴影。",
        "events.csv is missing: promotion phases are not shaded.",
    ),
    "forecast.total": ("预测总咨询量", "Total forecast volume"),
    "forecast.total_value": ("{value} 次咨询", "{value} inquiries"),
    "forecast.peak": ("峰值时段咨询量", "Peak interval"),
    "forecast.peak_help": ("95% 上限 {value}", "95 % upper bound {value}"),
    "forecast.peak_start": ("峰值时段开始", "Peak interval start"),
    "forecast.phases": ("周期内的大促阶段", "Promotion phases in the horizon"),
    "forecast.effects": ("模型学到的大促效应", "What the model learned about each promotion phase"),
    "forecast.effects_caption": (
        "每个活动 × 阶段：相对平常时段的咨询量倍数（最近一次发生）、下次发生的 80% 区间、"
        "倍数最高的小时，以及历史中出现过几次。只出现过一次的阶段区间更宽，使用前请核对。",
        "Per event × phase: inquiries relative to an ordinary hour (its latest occurrence), the "
        "80 % interval for its next occurrence, the hour its uplift is largest and how many past "
        "occurrences "
        "support it. A phase seen once has a wide interval: check it before trusting it.",
    ),
    "forecast.uplift": ("倍数", "Uplift"),
    "forecast.uplift_interval": ("80% 区间", "80 % interval"),
    "forecast.peak_hour": ("倍数最高的小时", "Hour of largest uplift"),
    "forecast.hour": ("小时", "Hour of day"),
    "forecast.pooled": ("借鉴同类活动", "Borrowed from peers"),
    "forecast.seen": ("历史次数", "Times seen"),
    "forecast.shape": ("日内形态（倍数，按小时）", "Intraday shape (uplift by hour)"),
}
