"""Texts of the Plan page (views/plan.py, plan_form.py): choose or upload a scenario, change the
levers, run with progress, cancel, open the result."""

TEXTS = {
    "plan.title": ("计划：调整参数并重新排班", "Plan: change the levers and re-plan"),
    "plan.intro": (
        "选择或上传一个场景，调整关键参数后运行；求解在后台进程中进行，可随时取消。"
        "完成后结果保存为一个运行目录，可在其他页面查看。",
        "Choose or upload a scenario, change the key levers and run; the solve runs in a "
        "background process and can be cancelled. The result is stored as a run directory "
        "that the other pages show.",
    ),
    # scenario choice and upload
    "plan.scenario_header": ("场景", "Scenario"),
    "plan.scenario": ("场景文件", "Scenario file"),
    "plan.scenario_help": (
        "自带的双11示例，以及工作目录下 data/ 和 out/ 中找到的场景 TOML 文件。",
        "The bundled Double 11 sample and the scenario TOML files found under data/ and out/ "
        "in the working directory.",
    ),
    "plan.no_scenario": ("没有可用的场景文件，请上传一个。", "No scenario file found; upload one."),
    "plan.upload_header": ("上传场景或数据文件", "Upload a scenario or data files"),
    "plan.upload": ("场景文件（.toml）及其数据文件（.csv：历史、活动、客服）",
                    "Scenario TOML and its CSVs (history, events, agents)"),
    "plan.upload_help": (
        "上传一个场景 TOML 及其引用的 CSV；只上传 CSV 时，它们替换当前所选场景中同名的文件。"
        "文件保存到新的 out/uploads/<时间>/ 目录，不会覆盖任何已有文件。",
        "One scenario TOML with the CSVs it names; CSVs alone replace the files of the same "
        "name in the chosen scenario. Files are saved into a new folder out/uploads/<time>/; "
        "nothing existing is overwritten.",
    ),
    "plan.upload_browse": ("选择文件", "Browse files"),
    "plan.upload_limit": ("每个文件不超过 200MB · TOML、CSV", "200MB per file · TOML, CSV"),
    "plan.upload_button": ("保存并检查", "Save and check"),
    "plan.upload_none": ("请先选择要上传的文件。", "Choose the files to upload first."),
    "plan.upload_saved": ("已保存并检查通过：`{path}`", "Saved and checked: `{path}`"),
    "plan.upload_error": ("上传的文件有误：{message}", "The upload has a problem: {message}"),
    "plan.scenario_error": ("无法加载场景：{message}", "Cannot load the scenario: {message}"),
    "plan.campaign": ("活动：{name}，{start} 至 {end}", "Campaign: {name}, {start} to {end}"),
    # variants
    "plan.variant": ("方案变体", "Variant"),
    "plan.variant_help": (
        "场景文件中的 [variants]；“无”为基础方案。",
        "The scenario file's [variants]; none = the base scenario.",
    ),
    "plan.variant.none": ("无（基础方案）", "none (base scenario)"),
    "plan.variant.base": ("基准", "base"),
    "plan.variant.high_volume": ("高咨询量（+20%）", "high volume (+20 %)"),
    "plan.variant.more_bot": ("机器人分流更多（45%）", "more bot deflection (45 %)"),
    "plan.variant.small_temp_pool": ("临时工池较小（30 人）", "small temp pool (30)"),
    # levers
    "plan.levers_header": ("关键参数", "Key levers"),
    "plan.levers_caption": (
        "已按所选场景和变体预填；修改的参数作为覆盖项（与命令行 `--set` 相同）传给计划。",
        "Pre-filled from the chosen scenario and variant; changed levers are passed to the "
        "plan as overrides (the same as the CLI's `--set`).",
    ),
    "plan.lever.volume_scale": ("咨询量倍数", "Volume scale"),
    "plan.lever.volume_scale_help": ("预测咨询量乘以该倍数（1.2 = 高 20%）。",
                                     "Multiplies the forecast volume (1.2 = 20 % more)."),
    "plan.lever.bot_deflection": ("机器人分流比例", "Bot deflection"),
    "plan.lever.bot_deflection_help": ("机器人直接解决的咨询占比（0–1）。",
                                       "Share of inquiries the bot closes (0–1)."),
    "plan.lever.service_level": ("服务水平目标", "Service-level target"),
    "plan.lever.service_level_help": ("在目标秒数内首次响应的咨询占比（0–1）。",
                                      "Share of first responses within the target seconds "
                                      "(0–1)."),
    "plan.lever.max_headcount": ("临时工池上限（人）", "Temp pool size (people)"),
    "plan.lever.max_headcount_help": ("外包/中介最多可提供的临时工人数。",
                                      "Most temporary agents the agency can supply."),
    "plan.lever.temp_hourly": ("临时工时薪（元/小时）", "Temp hourly cost (CNY/h)"),
    "plan.lever.temp_hourly_help": (
        "正式员工和兼职的时薪按人填写在客服名单 agents.csv 的时薪列中。",
        "Permanent and part-time wages are per agent, in the hourly-cost column of agents.csv.",
    ),
    "plan.lever.onboarding": ("临时工入职成本（元/人）", "Temp onboarding cost (CNY each)"),
    "plan.lever.onboarding_help": ("每招一名临时工的中介费和设备成本。",
                                   "Agency fee and equipment per temp hired."),
    "plan.lever.overtime": ("加班工资倍数", "Overtime premium"),
    "plan.lever.overtime_help": ("正式员工超出合同工时部分按时薪乘以该倍数计。",
                                 "Permanent hours above contract cost the hourly wage times "
                                 "this."),
    "plan.lever.time_limit": ("求解时间上限（秒）", "Solver time limit (s)"),
    "plan.lever.time_limit_help": ("排班求解的时间上限。", "Time limit of the roster solve."),
    "plan.lever.workers": ("求解线程数", "Solver workers"),
    "plan.lever.workers_help": ("求解器使用的并行线程数。", "Parallel workers of the solver."),
    "plan.lever.lp_bound": ("计算 LP 下界（较慢）", "Compute the LP lower bound (slower)"),
    "plan.lever.lp_bound_help": ("额外计算 HiGHS LP 下界并报告差距（示例约需 1 分钟）。",
                                 "Also compute the HiGHS LP lower bound and the gap "
                                 "(about a minute on the sample)."),
    "plan.changes": ("已修改：{changes}", "Changed: {changes}"),
    "plan.no_changes": ("未修改参数（按场景{variant}运行）。",
                        "No lever changed (runs the scenario{variant} as it is)."),
    "plan.variant_suffix": ("，变体 {name}", ", variant {name}"),
    "plan.override_error": ("参数无效：{message}", "Invalid lever: {message}"),
    # running
    "plan.run": ("运行计划", "Run the plan"),
    "plan.run_help": ("结果写入新的运行目录 out/plan-<时间>-<变体>/。",
                      "The result goes to a new run directory out/plan-<time>-<variant>/."),
    "plan.running_header": ("正在计划", "Planning"),
    "plan.out_dir": ("输出目录：`{path}`", "Output directory: `{path}`"),
    "plan.stage": ("阶段", "Stage"),
    "plan.stage.load": ("读取场景", "loading the scenario"),
    "plan.stage.forecast": ("预测咨询量", "forecasting volume"),
    "plan.stage.staffing": ("计算人力需求", "agents required"),
    "plan.stage.roster": ("排班求解", "solving the roster"),
    "plan.stage.done": ("完成", "done"),
    "plan.stage.failed": ("失败", "failed"),
    "plan.stage.cancelled": ("已取消", "cancelled"),
    "plan.objective": ("目标值", "Objective"),
    "plan.bound": ("下界", "Best bound"),
    "plan.elapsed": ("已用时间", "Elapsed"),
    "plan.seconds": ("{value} 秒", "{value} s"),
    "plan.solve_budget": ("求解时间 {used} / {limit} 秒", "Solver time {used} / {limit} s"),
    "plan.waiting": ("等待首个可行排班…", "waiting for the first roster…"),
    "plan.log": ("运行日志", "Run log"),
    "plan.cancel": ("取消", "Cancel"),
    "plan.cancelled": ("已取消（用时 {seconds} 秒），未保存任何运行结果。",
                       "Cancelled in {seconds} s; no run was stored."),
    "plan.failed": ("计划失败：{message}", "The plan failed: {message}"),
    # result
    "plan.done": ("计划完成：`{path}`", "Plan complete: `{path}`"),
    "plan.wages": ("工资总额", "Wages"),
    "plan.short": ("缺口（人·小时）", "Short (agent-hours)"),
    "plan.service": ("预计服务水平", "Expected service level"),
    "plan.open": ("在总览中查看", "Open in the overview"),
    "plan.open_help": ("把侧边栏的运行目录切换到这个新运行。",
                       "Switches the sidebar's run directory to this new run."),
}
