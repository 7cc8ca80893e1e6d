"""Sweeps: many full runs of one scenario, each with a few fields replaced, side by side
(issue 19, points 4 and 6).

Each :class:`SweepJob` is one complete :func:`scenarios.pipeline.run_scenario` into
``OUT/LABEL/`` with one solver worker. The jobs run through one code path, :func:`run_one`
(a picklable :class:`JobSpec` in, the summary dict out), executed by a backend:

- ``local`` (default): a ``concurrent.futures.ProcessPoolExecutor`` with the ``spawn`` context
  (the parent may hold threads, so no fork), ``min(jobs, max_parallel or usable cores)`` processes;
- ``ray``: Ray tasks of ``num_cpus=1`` each, on Ray's local cluster (started here with the usable
  cores and shut down afterwards) or on an existing one (``address``; left running). The
  scenario and its data files must then be readable at the same paths on every Ray node.

With the same seed, one worker and the solver's deterministic mode, both backends give the same
rosters byte for byte. The sweep directory is written as one unit (scenarios.sweep_output): every
job and override is checked before any work, the runs go into a hidden staging directory, and a
failing job or Ctrl-C stops the others and removes it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.cli_args import UsageError
from scenarios.io import InputFileError
from scheduler.cores import usable_cores

BACKENDS = ("local", "ray")
RAY_MISSING = "--backend ray: Ray is not installed (pip install 'peakplan[ray]')"


@dataclass(frozen=True)
class SweepJob:
    """One run of a sweep: ``label`` is its folder in the sweep directory, ``overrides`` the
    ``--set`` pairs (dotted key, typed value) applied after the variant and base overrides."""

    label: str
    overrides: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs for one job (picklable; no open files or models)."""

    label: str
    scenario_path: str
    out_dir: str
    solver: dict
    variant: str | None
    overrides: tuple[tuple[str, object], ...]
    encoding: str | None = None
    allow_outside_paths: bool = False


class SweepJobError(InputFileError):
    """A job whose input was refused (one line naming its label); the sweep wrote nothing."""


class SweepJobFailed(RuntimeError):
    """A job that failed for another reason (one line naming its label)."""


@dataclass(frozen=True)
class _Failure:
    """A job's error carried back as plain text (exceptions do not always pickle)."""

    label: str
    kind: str
    message: str
    input_error: bool


def run_one(spec: JobSpec) -> dict | _Failure:
    """Run one job (in a worker process or Ray task): the run directory ``spec.out_dir``; returns
    its summary dict, or a :class:`_Failure` describing why it failed in one line."""
    from pydantic import ValidationError

    from forecast.errors import ForecastInputError
    from scenarios.encodings import input_encoding
    from scenarios.load import ScenarioError, outside_paths_allowed
    from scenarios.pipeline import run_scenario
    from scheduler.errors import SchedulerInputError
    from scheduler.roster.schema import SolverConfig

    known = (InputFileError, ScenarioError, ForecastInputError, SchedulerInputError, OSError)
    try:
        with input_encoding(spec.encoding), outside_paths_allowed(spec.allow_outside_paths):
            outputs = run_scenario(
                Path(spec.scenario_path),
                Path(spec.out_dir),
                solver=SolverConfig.model_validate(spec.solver),
                variant=spec.variant,
                overrides=spec.overrides,
            )
    except Exception as exc:  # noqa: BLE001 - sent back as one line of text
        if isinstance(exc, ValidationError):
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            message = f"{where}: {first['msg']}"
        else:
            text = str(exc).strip().splitlines()
            message = text[0] if text else type(exc).__name__
        return _Failure(
            spec.label, type(exc).__name__, message, isinstance(exc, (*known, ValidationError))
        )
    return outputs.summary


def _raise_failure(failure: _Failure) -> None:
    if failure.input_error:
        raise SweepJobError(f"sweep run '{failure.label}': {failure.message}")
    raise SweepJobFailed(f"sweep run '{failure.label}': {failure.kind}: {failure.message}")


def _outcome(get: Callable[[], object], label: str) -> dict | _Failure:
    """A finished job's result; a worker that died (no result) is a failure naming the job."""
    try:
        return get()  # type: ignore[return-value]
    except Exception as exc:  # noqa: BLE001 - a crashed worker process or Ray task
        text = str(exc).strip().splitlines()
        return _Failure(label, type(exc).__name__, text[0] if text else "worker died", False)


# ---------------------------------------------------------------------------------- backends


def _ignore_sigint() -> None:
    """Worker processes leave Ctrl-C to the parent, which stops them (SIGTERM) and cleans up."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_local(
    specs: Sequence[JobSpec], parallel: int, done: Callable[[int, dict], None]
) -> None:
    """Run the specs in ``parallel`` spawned processes; stop them all on a failure or Ctrl-C."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(
        parallel, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint
    )
    try:
        futures = {pool.submit(run_one, spec): i for i, spec in enumerate(specs)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=futures.__getitem__):
                result = _outcome(future.result, specs[futures[future]].label)
                if isinstance(result, _Failure):
                    _raise_failure(result)
                done(futures[future], result)
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(10)
        raise
    pool.shutdown(wait=True)


@contextlib.contextmanager
def _ray_cluster(address: str | None, cores: int) -> Iterator[Any]:
    """Ray, connected: an already initialised Ray is used as is; ``address`` joins an existing
    cluster (left running); otherwise a local cluster of ``cores`` CPUs is started here and shut
    down afterwards."""
    try:
        import ray
    except ImportError:
        raise UsageError(RAY_MISSING) from None
    import logging
    import signal
    import threading

    main_thread = threading.current_thread() is threading.main_thread()
    on_term = signal.getsignal(signal.SIGTERM) if main_thread else None
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {
            "include_dashboard": False,
            "logging_level": logging.WARNING,
            "log_to_driver": False,
        }
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=cores, **options)
        started = True
        if on_term is not None:  # Ray's own handler aborts; SIGTERM must clean up like Ctrl-C
            signal.signal(signal.SIGTERM, on_term)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()  # a local cluster stops; from an existing one we only disconnect


def _run_ray(
    specs: Sequence[JobSpec],
    parallel: int | None,
    done: Callable[[int, dict], None],
    address: str | None,
) -> None:
    """Run the specs as Ray tasks (``num_cpus=1``, at most ``parallel`` in flight when given)."""
    with _ray_cluster(address, usable_cores()) as ray:
        task = ray.remote(num_cpus=1, max_retries=0)(run_one)
        waiting = list(enumerate(specs))
        running: dict[Any, int] = {}
        try:
            while waiting or running:
                while waiting and (parallel is None or len(running) < parallel):
                    i, spec = waiting.pop(0)
                    running[task.remote(spec)] = i
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    i = running.pop(ref)
                    result = _outcome(lambda ref=ref: ray.get(ref), specs[i].label)
                    if isinstance(result, _Failure):
                        _raise_failure(result)
                    done(i, result)
        except BaseException:
            for ref in running:
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)
            raise


# ------------------------------------------------------------------------------------ sweep


def check_jobs(
    scenario_path: Path,
    jobs: Sequence[SweepJob],
    *,
    variant: str | None,
    base_overrides: Sequence[tuple[str, object]],
) -> list[Path]:
    """Load the scenario with every job's overrides (ScenarioError naming the key on the first
    bad one) and check the labels; returns every input file the jobs read."""
    from scenarios.load import load_scenario
    from scenarios.pipeline import run_inputs
    from scenarios.sweep_output import check_label

    if not jobs:
        raise UsageError("sweep: no jobs to run")
    labels = [check_label(job.label) for job in jobs]
    twice = next((label for label in labels if labels.count(label) > 1), None)
    if twice is not None:
        raise UsageError(f"sweep label '{twice}': given twice")
    inputs: list[Path] = []
    for job in jobs:
        scenario = load_scenario(
            scenario_path, variant=variant, overrides=(*base_overrides, *job.overrides)
        )
        inputs += [p for p in run_inputs(scenario_path, scenario) if p not in inputs]
    return inputs


def run_sweep(
    scenario_path: Path,
    jobs: Sequence[SweepJob],
    out_dir: Path,
    *,
    solver,
    variant: str | None = None,
    base_overrides: Sequence[tuple[str, object]] = (),
    backend: str = "local",
    address: str | None = None,
    max_parallel: int | None = None,
    log: Callable[[str], None] = lambda m: None,
    kind: str = "frontier",
    top_files: Callable[[list[dict], list[Path]], Mapping[str, bytes]] | None = None,
) -> list[dict]:
    """Run every job as a full run into ``out_dir/LABEL/`` and write ``out_dir`` as one unit.

    ``solver`` (SolverConfig) is used with ``num_workers=1``; pass ``deterministic=True`` for
    results that do not depend on load or backend. ``top_files``, when given, is called with the
    summaries (job order) and returns the sweep's top-level files (name -> bytes), written in the
    same unit. Returns the summaries as read back from each run's summary.json, in job order.

    Raises (before any work): UsageError (unknown backend, Ray missing, no jobs, bad
    ``max_parallel``), ScenarioError (a bad override or variant, naming the key),
    OutputPathError (``out_dir`` may not be written). A failing job raises SweepJobError /
    SweepJobFailed naming its label, after the other jobs are stopped and the staging removed.
    """
    from scenarios import output, sweep_output

    _check_backend(backend, max_parallel)
    scenario_path = Path(scenario_path)
    inputs = check_jobs(scenario_path, jobs, variant=variant, base_overrides=base_overrides)
    target = sweep_output.check_sweep_dir(out_dir, inputs, kind)
    config = solver.model_copy(update={"num_workers": 1}).model_dump()
    sweep_output.clean_leftovers(target.path)
    staging = output.make_staging(target)
    try:
        specs = _job_specs(scenario_path, jobs, staging, config, variant, base_overrides)
        _run_jobs(specs, backend, max_parallel, address, log)
        summaries = [
            json.loads((staging / job.label / "summary.json").read_text(encoding="utf-8"))
            for job in jobs
        ]
        run_dirs = [staging / job.label for job in jobs]
        extra = dict(top_files(summaries, run_dirs)) if top_files is not None else {}
        sweep_output.finish_sweep(
            staging,
            out_dir,
            inputs,
            kind=kind,
            labels=[job.label for job in jobs],
            top_files=extra,
            scenario=str(scenario_path),
            variant=variant,
            backend=backend,
        )
    except BaseException:
        output.remove_staging(staging)
        raise
    return summaries


def _check_backend(backend: str, max_parallel: int | None) -> None:
    """UsageError for an unknown backend, ``max_parallel`` below 1, or Ray asked for but not
    installed (said before any work)."""
    if backend not in BACKENDS:
        raise UsageError(f"--backend: expected one of {', '.join(BACKENDS)} (got '{backend}')")
    if max_parallel is not None and max_parallel < 1:
        raise UsageError(f"--jobs: expected at least 1 (got {max_parallel})")
    if backend == "ray":
        try:
            import ray  # noqa: F401 - only to say early that it is missing
        except ImportError:
            raise UsageError(RAY_MISSING) from None


def _job_specs(scenario_path: Path, jobs: Sequence[SweepJob], staging: Path, config: dict,
               variant: str | None, base_overrides: Sequence[tuple[str, object]]) -> list[JobSpec]:
    """One picklable :class:`JobSpec` per job, its run directory ``staging/LABEL``, carrying
    this process's input encoding and outside-paths permission to the worker."""
    from scenarios.encodings import current_input_encoding
    from scenarios.load import _ALLOW_OUTSIDE

    return [
        JobSpec(
            label=job.label,
            scenario_path=str(scenario_path.resolve()),
            out_dir=str(staging / job.label),
            solver=config,
            variant=variant,
            overrides=(*base_overrides, *job.overrides),
            encoding=current_input_encoding(),
            allow_outside_paths=_ALLOW_OUTSIDE.get(),
        )
        for job in jobs
    ]


def _run_jobs(specs: Sequence[JobSpec], backend: str, max_parallel: int | None,
              address: str | None, log: Callable[[str], None]) -> None:
    """Run every spec on ``backend`` (at most ``max_parallel`` at a time, default the usable
    cores), logging each job as it finishes; the first failure raises."""
    finished = 0

    def done(i: int, _summary: dict) -> None:
        nonlocal finished
        finished += 1
        log(f"sweep: {specs[i].label} done ({finished}/{len(specs)})")

    parallel = min(len(specs), max_parallel or usable_cores())
    log(f"sweep: {len(specs)} runs, backend {backend}, {parallel} at a time")
    if backend == "local":
        _run_local(specs, parallel, done)
    else:
        _run_ray(specs, max_parallel, done, address)
