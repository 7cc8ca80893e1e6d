"""Writing a whole run directory: ``run_scenario`` (``peakplan run``) and ``write_run`` (also
``peakplan rerun``), layout in docs/contracts.md.

The directory is written as one unit: every file goes to a hidden staging sibling, the marker
``.peakplan-run.json`` last, and the staging directory is renamed into place (scenarios.output),
so a directory with the marker is complete. Besides the outputs it holds ``scenario.toml`` (the
scenario file as given), ``scenario.resolved.toml`` (variant and ``--set`` applied, every default
filled in, data paths absolute) and, in ``summary.json``, the sha256 of every input.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path

import pandas as pd

from forecast.columns import EVENTS_COLUMNS
from scenarios import io, output
from scenarios.hr_export import check_language
from scenarios.load import load_scenario
from scenarios.roster_xlsx import write_roster_xlsx
from scenarios.run_summary import build_summary, input_checksums, input_files, service_summary
from scenarios.schema import Scenario
from scenarios.summary_model import RunSummary
from scheduler.roster.schema import SolverConfig

ProgressFn = Callable[[float, float, float], None]

#: The resolved scenario in a run directory (loadable by ``load_scenario``).
RESOLVED_SCENARIO = "scenario.resolved.toml"

#: Role -> file name of everything a run writes (summary.json ``files``).
RUN_FILES = {
    "scenario": "scenario.toml",
    "resolved": RESOLVED_SCENARIO,
    "forecast": "forecast.csv",
    "events": "events.csv",
    "requirements": "requirements.csv",
    "roster": "roster.csv",
    "roster_xlsx": "roster.xlsx",
    "coverage": "coverage.csv",
    "unmet": "unmet.csv",
    "summary": "summary.json",
    "event_effects": "event_effects.csv",
}


@dataclass
class RunOutputs:
    """A written run: its directory, summary.json as a plain dict (``model`` = the same as a
    validated :class:`~scenarios.summary_model.RunSummary`) and ``files`` (role -> name)."""

    out_dir: Path
    summary: dict
    files: dict[str, str] = field(default_factory=dict)
    model: RunSummary | None = None


def _events_in_horizon(events: pd.DataFrame | None, start: datetime, end: datetime) -> pd.DataFrame:
    columns = list(EVENTS_COLUMNS)
    if events is None:
        return pd.DataFrame(columns=columns)
    mask = (events["end"] >= pd.Timestamp(start)) & (events["start"] <= pd.Timestamp(end))
    frame = events.loc[mask, columns].copy()
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).dt.strftime("%Y-%m-%dT%H:%M")
    return frame.reset_index(drop=True)


def _effects(table: pd.DataFrame | None) -> pd.DataFrame:
    """event_effects.csv: the learned uplift per family x phase (``forecast.explain``), 4
    decimals, ``latest_start`` as ISO local time; just the header without a calendar."""
    if table is None or table.empty:
        from forecast.explain import effect_columns

        return pd.DataFrame(columns=effect_columns())
    out = table.copy()
    out["latest_start"] = pd.to_datetime(out["latest_start"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    numeric = out.select_dtypes("float").columns
    out[numeric] = out[numeric].round(4)
    return out


def _iso(frame: pd.DataFrame, column: str = "timestamp") -> pd.DataFrame:
    out = frame.copy()
    out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    return out


def run_inputs(scenario_path: Path, scenario: Scenario) -> list[Path]:
    """Every file a run reads: the scenario and the history, events and agents it names."""
    return list(input_files(scenario_path, scenario).values())


def check_run_output(
    scenario_path: str | Path, out_dir: str | Path, scenario: Scenario | None = None
) -> output.RunTarget:
    """Check that ``out_dir`` may receive this run (see scenarios.output.check_run_dir)."""
    scenario_path = Path(scenario_path)
    scenario = scenario or load_scenario(scenario_path)
    return output.check_run_dir(out_dir, run_inputs(scenario_path, scenario))


# ------------------------------------------------------------------------ resolved scenario


def _toml_ready(value: object) -> object:
    """``model_dump`` output as TOML types: paths and enums as text, tuples as arrays."""
    if isinstance(value, dict):
        return {str(k): _toml_ready(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_toml_ready(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return _toml_ready(value.value)
    if isinstance(value, bool | int | float | str | date | datetime | time):
        return value
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def resolved_toml(scenario: Scenario) -> str:
    """The scenario as TOML with every field written (defaults filled in; a field that is None
    is left out, which is its default), data paths absolute as loaded.

    Raises:
        RuntimeError: the text does not load back to the same Scenario (a peakplan bug).
    """
    import tomli_w

    body = tomli_w.dumps(_toml_ready(scenario.model_dump(exclude_none=True)))
    head = (
        "# Written by peakplan: the scenario this run planned with (variant and --set applied,\n"
        "# every default filled in, data paths absolute). `peakplan rerun` plans from it.\n\n"
    )
    if Scenario.model_validate(tomllib.loads(body)) != scenario:
        raise RuntimeError("the resolved scenario does not load back to the same scenario")
    return head + body


# ------------------------------------------------------------------------------ whole run


def run_scenario(
    scenario_path: str | Path,
    out_dir: str | Path,
    *,
    solver: SolverConfig | None = None,
    on_progress: ProgressFn | None = None,
    log: Callable[[str], None] = lambda _msg: None,
    variant: str | None = None,
    overrides: Sequence[tuple[str, object]] = (),
    hr_language: str = "en",
) -> RunOutputs:
    """Run the whole pipeline on a scenario file and write the run directory as one unit.

    ``out_dir`` is checked before any work (scenarios.output.check_run_dir: a new or empty
    directory, or an unchanged earlier run, never holding an input); see :func:`write_run`.
    ``variant`` and ``overrides`` (``--set``, scenarios.variants) are applied and recorded in
    summary.json. ``hr_language`` (``en``/``zh``) is the language of roster.xlsx's headers.

    Raises:
        scenarios.output.OutputPathError: ``out_dir`` may not be written (before any work).
    """
    scenario_path = Path(scenario_path)
    scenario = load_scenario(scenario_path, variant=variant, overrides=overrides)
    return write_run(
        scenario, scenario_path, out_dir, solver=solver, on_progress=on_progress, log=log,
        variant=variant, overrides=overrides, hr_language=hr_language,
    )


def write_run(
    scenario: Scenario,
    scenario_path: Path,
    out_dir: str | Path,
    *,
    solver: SolverConfig | None = None,
    on_progress: ProgressFn | None = None,
    log: Callable[[str], None] = lambda _msg: None,
    variant: str | None = None,
    overrides: Sequence[tuple[str, object]] = (),
    scenario_file: str | None = None,
    guard: Sequence[Path] = (),
    hr_language: str = "en",
) -> RunOutputs:
    """Plan an already loaded ``scenario`` and write the run directory as one unit.

    Args:
        scenario: the scenario to plan (variant and overrides already applied).
        scenario_path: the scenario file copied to ``scenario.toml`` and checksummed as the
            ``scenario`` input.
        out_dir: the run directory (new, empty, or an unchanged earlier run).
        solver: solver settings (default: the scenario's ``[solver]``).
        variant, overrides: recorded in summary.json ``scenario`` (not applied here).
        scenario_file: recorded as summary.json ``scenario.file`` (default ``scenario_path``).
        guard: more paths the output must not be, hold or lie in (``rerun``: the old run).
        hr_language: headers of roster.xlsx, ``en`` (roster.csv's columns) or ``zh`` (Chinese
            headers and agent types, scenarios.hr_export); roster.csv is always ``en``, the
            contract the dashboard, review and rerun read.

    Raises:
        scenarios.output.OutputPathError: ``out_dir`` may not be written (before any work).
    """
    from scenarios import pipeline

    check_language(hr_language)
    scenario_path = Path(scenario_path)
    inputs = [*run_inputs(scenario_path, scenario), *guard]
    target = output.check_run_dir(out_dir, inputs)
    resolved = resolved_toml(scenario)
    config = solver or scenario.solver
    plan = pipeline.prepare_plan(scenario, log)  # reads the inputs (its errors name them)
    checksums = input_checksums(scenario_path, scenario)
    problem = plan.problem
    log(f"roster: {len(plan.agents)} named agents, temp pool {problem.temporary.max_headcount}")
    outcome = pipeline.roster_step(problem, config, on_progress, log)
    service, coverage = service_summary(plan.requirements, outcome.coverage, scenario)

    files = dict(RUN_FILES)
    staging = output.make_staging(target)
    try:
        shutil.copyfile(scenario_path, staging / files["scenario"])
        io.write_text(resolved, staging / files["resolved"])
        io.write_csv(_iso(plan.forecast), staging / files["forecast"])
        io.write_csv(
            _events_in_horizon(plan.events, plan.start, plan.end), staging / files["events"]
        )
        io.write_csv(_iso(plan.requirements), staging / files["requirements"])
        io.write_csv(outcome.roster, staging / files["roster"], for_people=True)
        write_roster_xlsx(outcome.roster, staging / files["roster_xlsx"], hr_language)
        io.write_csv(_iso(coverage), staging / files["coverage"])
        io.write_csv(outcome.unmet, staging / files["unmet"])
        io.write_csv(_effects(plan.event_effects), staging / files["event_effects"])
        model = build_summary(
            scenario, scenario_path, outcome, service, files, config, variant=variant,
            overrides=overrides, inputs=checksums, scenario_file=scenario_file,
        )
        summary = model.as_dict()
        io.write_json(summary, staging / files["summary"])
        output.finish_run(staging, out_dir, inputs, kind="run")
    except BaseException:
        output.remove_staging(staging)
        raise
    return RunOutputs(out_dir=Path(out_dir), summary=summary, files=files, model=model)
