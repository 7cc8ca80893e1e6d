"""The roster engine's layout (issue 21): stages as subpackages behind a small public face.

- No engine outside ``cpsat/`` imports CP-SAT (OR-Tools or ``scheduler.roster.cpsat``): the
  constructive roster, the local search and the pricing read an ``Instance``; only
  ``solve.py`` (the orchestration) wires CP-SAT in.
- The independent checks (``checks/``: validator and LP bound) import no solver stage; the
  bound uses only the rule-free LP builder and HiGHS helpers of ``lp/``.
- Module-level imports inside ``scheduler/roster`` stay within ``MAX_IMPORT_FLOORS`` floors
  (10 before the regrouping: solve -> parallel_search -> day_mip -> best_response -> tours ->
  rules.hours -> model -> columns -> horizon -> schema).
- Every public name of ``scheduler.roster`` resolves, and importing the package loads no
  solver library.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

import scheduler.roster as roster

ROOT = Path(__file__).resolve().parents[3]
PKG = ROOT / "scheduler" / "roster"
MAX_IMPORT_FLOORS = 7


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports(path: Path, module_level_only: bool = False) -> set[str]:
    """Modules ``path`` imports (``from X import y`` gives X and X.y); TYPE_CHECKING blocks are
    not imports at run time and are skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    for node in ast.walk(tree):  # drop what only type checkers import
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for sub in node.body:
                if isinstance(sub, ast.ImportFrom) and sub.module:
                    out.discard(sub.module)
                    out -= {f"{sub.module}.{a.name}" for a in sub.names}
    return out


def files(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


def cpsat_importers(paths: list[Path]) -> list[str]:
    return [module_name(p) for p in paths
            if any(m.startswith(("ortools", "scheduler.roster.cpsat")) for m in imports(p))]


def test_no_engine_outside_cpsat_imports_cp_sat():
    engines = [p for sub in ("instance", "lp", "construct", "search", "pricing", "checks")
               for p in files(sub)]
    assert len(engines) > 20
    assert cpsat_importers(engines) == []


def test_the_checker_sees_a_cp_sat_import(tmp_path):
    bad = tmp_path / "greedy_like.py"
    bad.write_text("from scheduler.roster.cpsat.model import RosterModel\n")
    typed = tmp_path / "typed.py"
    typed.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from scheduler.roster.cpsat.model import RosterModel\n")
    assert imports(bad) >= {"scheduler.roster.cpsat.model"}
    assert imports(typed) == {"typing", "typing.TYPE_CHECKING"}


def test_checks_import_no_solver_stage():
    allowed = ("scheduler.roster.checks", "scheduler.roster.schema", "scheduler.roster.lp.builder",
               "scheduler.roster.lp.highs", "scheduler.roster.instance.week_flow",
               "scheduler.roster.instance.horizon", "scheduler.roster.instance.week_limits")
    bad = {module_name(p): sorted(m for m in imports(p) if m.startswith("scheduler.roster.")
                                  and not m.startswith(allowed))
           for p in files("checks")}
    assert {k: v for k, v in bad.items() if v} == {}


def import_floors() -> dict[str, int]:
    """Floor of every roster module: 1 + the highest floor among its module-level imports."""
    deps = {module_name(p): {m for m in imports(p, module_level_only=True)
                             if m.startswith("scheduler.roster.")}
            for p in PKG.rglob("*.py")}

    @lru_cache(None)
    def floor(m: str) -> int:
        return 1 + max((floor(d) for d in deps[m] if d in deps and d != m), default=0)

    return {m: floor(m) for m in deps}


def test_import_floors_stay_low():
    floors = import_floors()
    assert floors["scheduler.roster.schema"] == 1
    assert max(floors.values()) <= MAX_IMPORT_FLOORS, max(floors.items(), key=lambda kv: kv[1])


@pytest.mark.parametrize("name", roster.__all__)
def test_public_names_resolve(name):
    assert getattr(roster, name) is not None


def test_importing_the_schema_loads_no_solver():
    code = ("import sys, scheduler.roster, scheduler.roster.schema; "
            "print(sorted(m for m in ('ortools', 'highspy', 'numba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"


def test_tests_mirror_the_stages():
    """Every stage has a test folder of the same name, and no test folder names a stage that
    does not exist."""
    here = Path(__file__).resolve().parent
    stages = {p.name for p in PKG.iterdir() if (p / "__init__.py").exists()}
    tested = {p.name for p in here.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert tested == stages
