"""Size limits of the product code (issue 21 acceptance 2): no file over 400 lines, and no
function over 80 lines unless its docstring gives the reason (a sentence starting with
"Long because"). Tests, benchmarks and generated files are not counted."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("forecast", "scheduler", "scenarios", "dashboard")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
REASON = "Long because"


def _product_files() -> list[Path]:
    return sorted(f for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py"))


def long_functions_without_reason(files: list[Path], root: Path = ROOT) -> dict[str, int]:
    """"file::function" -> lines, for functions over the limit whose docstring gives no
    reason."""
    out = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES and REASON not in (ast.get_docstring(node) or ""):
                    out[f"{path.relative_to(root).as_posix()}::{node.name}"] = n
    return out


def test_no_product_file_over_400_lines() -> None:
    long = {
        f.relative_to(ROOT).as_posix(): n
        for f in _product_files()
        if (n := f.read_text(encoding="utf-8").count("\n")) > MAX_FILE_LINES
    }
    assert long == {}


def test_no_long_function_without_a_reason() -> None:
    assert long_functions_without_reason(_product_files()) == {}


def test_the_check_sees_a_long_function(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    bare = tmp_path / "bare.py"
    bare.write_text(f"def f():\n{body}")
    told = tmp_path / "told.py"
    told.write_text(f'def g():\n    """{REASON} it is one loop."""\n{body}')
    assert long_functions_without_reason([bare, told], tmp_path) == {"bare.py::f": 81}
