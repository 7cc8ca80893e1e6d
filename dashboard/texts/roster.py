"""Texts of the Roster page (views/roster.py) and its charts (roster_charts.py)."""

TEXTS = {
    "roster.title": ("排班", "Roster"),
    "roster.caption": (
        "每位员工每个工作日一行（roster.csv，即发给人事的排班表）。",
        "One row per agent per working day (roster.csv, as sent to HR).",
    ),
    "roster.empty": ("该运行没有排班。", "This run has no shifts."),
    # filters
    "roster.filter_type": ("员工类型", "Agent type"),
    "roster.filter_team": ("组别", "Team"),
    "roster.filter_date": ("日期", "Date"),
    "roster.all_dates": ("全部日期", "All dates"),
    "roster.filter_search": ("工号或姓名包含", "Agent ID or name contains"),
    # tiles
    "roster.metric_shifts": ("班次数", "Shifts"),
    "roster.metric_hours": ("计薪工时", "Paid hours"),
    "roster.metric_cost": ("成本", "Cost"),
    # table columns
    "roster.col_agent_id": ("工号", "Agent ID"),
    "roster.col_agent_name": ("姓名", "Name"),
    "roster.col_agent_type": ("员工类型", "Agent type"),
    "roster.col_team": ("组别", "Team"),
    "roster.col_date": ("日期", "Date"),
    "roster.col_shift_start": ("上班时间", "Shift start"),
    "roster.col_shift_end": ("下班时间", "Shift end"),
    "roster.col_breaks": ("休息时段", "Breaks"),
    "roster.col_paid_hours": ("计薪工时", "Paid hours"),
    "roster.col_cost_cny": ("成本(元)", "Cost (CNY)"),
    "roster.per_day": ("按员工类型统计每日班次", "Shifts per day by agent type"),
    # Gantt
    "roster.gantt_header": ("当日班次与休息", "Shifts and breaks of one day"),
    "roster.gantt_day": ("查看日期", "Day shown"),
    "roster.gantt_caption": (
        "横条为班次（按员工类型着色），黑色细线为休息；夜班跨过零点画到次日。",
        "Bars are shifts (coloured by agent type), black lines are breaks; a night shift runs "
        "past midnight.",
    ),
    "roster.gantt_none": ("{day} 在当前筛选下没有班次。", "No shifts on {day} with these filters."),
    "roster.axis_agent": ("员工", "Agent"),
    "roster.axis_time": ("时间", "Time"),
    "roster.legend_type": ("员工类型", "Agent type"),
    "roster.tip_shift": ("班次", "Shift"),
    "roster.tip_breaks": ("休息", "Breaks"),
    "roster.tip_break": ("休息", "Break"),
    # heatmap
    "roster.heatmap_header": ("每日各小时在岗人数", "Agents on duty by day and hour"),
    "roster.heatmap_caption": (
        "整个计划期内每小时平均在岗人数（不含休息中的员工），按上方的类型/组别/员工筛选，不按日期筛选。",
        "Mean agents on duty (not on break) in each hour of the whole horizon, for the "
        "type/team/agent filters above (not the date).",
    ),
    "roster.heatmap_none": ("当前筛选下没有班次。", "No shifts with these filters."),
    "roster.axis_hour": ("小时", "Hour"),
    "roster.axis_day": ("日期", "Day"),
    "roster.legend_on_duty": ("在岗人数", "Agents on duty"),
    # downloads
    "roster.download_header": ("下载给人事", "Download for HR"),
    "roster.download_language": ("表头语言", "Header language"),
    "roster.download_scope": ("范围", "Rows"),
    "roster.scope_all": ("完整排班（{n} 行）", "Whole roster ({n} rows)"),
    "roster.scope_view": ("当前筛选（{n} 行）", "Filtered view ({n} rows)"),
    "roster.download_csv": (
        "下载 CSV（UTF-8 带 BOM，可用 Excel 打开）",
        "Download CSV (UTF-8 with BOM, opens in Excel)",
    ),
    "roster.download_xlsx": ("下载 Excel 工作簿", "Download Excel workbook"),
    "roster.download_caption": (
        "Excel 工作簿每周一个工作表，另有一张员工×日期的班次表；工号以文本保存，003 不会变成 3。"
        "CSV 双击用 Excel 打开会丢掉工号的前导零，请用工作簿或直接导入人事系统。",
        "The workbook has one sheet per week plus an agent × day grid of shift times; IDs are "
        "stored as text, so 003 stays 003. Excel drops the leading zeros when the CSV is "
        "double-clicked: use the workbook, or import the CSV into the HR system directly.",
    ),
}
