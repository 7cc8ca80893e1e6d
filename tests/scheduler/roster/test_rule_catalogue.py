"""docs/rules.md stays in step with the validator and the code it cites.

Catalogue format (parsed here): each rule is a level-2 heading holding exactly the rule name in
backticks (``## `min_rest` ``); its section runs to the next such heading and must contain a
``**Validator:**`` line. Code references are backticked ``module:attr`` (``attr`` may be dotted,
``Class.method``); test references are backticked ``path.py::test_name``.

Rule names the validator can emit are collected with ``ast`` from the string literals passed as
the first argument of ``_v(...)`` or as ``rule=`` of ``Violation(...)`` in every
``scheduler/roster/checks/*.py`` (the validator's modules; no hand-written list).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "docs" / "rules.md"
VALIDATOR_FILES = sorted((ROOT / "scheduler" / "roster" / "checks").glob("*.py"))
HEADING = re.compile(r"^## `([a-z0-9_]+)`\s*$", re.MULTILINE)
CODE_REF = re.compile(r"`(scheduler(?:\.\w+)+):(\w+(?:\.\w+)*)`")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def emitted_rules(files: list[Path] = VALIDATOR_FILES) -> dict[str, str]:
    """Rule name -> ``file:line`` of its first emission, from ``_v("rule", ...)`` and
    ``Violation(rule="rule", ...)`` calls with a string literal."""
    out: dict[str, str] = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            literal: ast.expr | None = None
            if name == "_v" and node.args:
                literal = node.args[0]
            elif name == "Violation":
                literal = next((k.value for k in node.keywords if k.arg == "rule"), None)
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                out.setdefault(literal.value, f"{path.name}:{node.lineno}")
    return out


def catalogue_sections(text: str) -> dict[str, str]:
    """Rule name -> its section text (heading to the next rule heading)."""
    marks = list(HEADING.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {m.group(1): text[m.end():end] for m, end in zip(marks, ends, strict=True)}


def missing_code_refs(text: str) -> list[str]:
    """Cited ``module:attr`` that cannot be imported or resolved."""
    bad = []
    for module, attr in sorted(set(CODE_REF.findall(text))):
        try:
            obj: object = importlib.import_module(module)
            for part in attr.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError):
            bad.append(f"{module}:{attr}")
    return bad


def missing_test_refs(text: str) -> list[str]:
    """Cited ``file::test`` whose file or top-level test function does not exist."""
    bad = []
    for rel, name in sorted(set(TEST_REF.findall(text))):
        path = ROOT / rel
        names: set[str] = set()
        if path.is_file():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if name not in names:
            bad.append(f"{rel}::{name}")
    return bad


def test_collector_finds_the_validator_rules() -> None:
    rules = emitted_rules()
    assert len(VALIDATOR_FILES) >= 3
    assert {"one_shift_per_day", "min_rest", "cost", "temp_headcount"} <= set(rules)


def test_every_emitted_rule_has_a_catalogue_entry() -> None:
    sections = catalogue_sections(CATALOGUE.read_text(encoding="utf-8"))
    missing = {r: where for r, where in emitted_rules().items() if r not in sections}
    assert not missing, f"rules without a section in docs/rules.md: {missing}"


def test_catalogue_names_only_emitted_rules() -> None:
    sections = catalogue_sections(CATALOGUE.read_text(encoding="utf-8"))
    stale = sorted(set(sections) - set(emitted_rules()))
    assert not stale, f"docs/rules.md names rules the validator no longer emits: {stale}"


def test_every_section_names_its_validator_check() -> None:
    sections = catalogue_sections(CATALOGUE.read_text(encoding="utf-8"))
    bad = [r for r, body in sections.items()
           if not re.search(r"\*\*Validator:\*\* `scheduler\.roster\.checks\.\w+:check_\w+`", body)]
    assert not bad, f"sections without a **Validator:** check function: {bad}"


def test_cited_functions_and_tests_exist() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert CODE_REF.search(text) and TEST_REF.search(text)
    assert not missing_code_refs(text), f"unknown module:function: {missing_code_refs(text)}"
    assert not missing_test_refs(text), f"unknown file::test: {missing_test_refs(text)}"


def test_checks_can_fail(tmp_path: Path) -> None:
    """The checks reject a catalogue without an entry, with a stale one and with a bad ref."""
    text = CATALOGUE.read_text(encoding="utf-8")
    without = catalogue_sections(text.replace("## `min_rest`", "## min rest"))
    assert "min_rest" in set(emitted_rules()) - set(without)
    extra = catalogue_sections(text + "\n## `retired_rule`\n")
    assert "retired_rule" in set(extra) - set(emitted_rules())
    assert missing_code_refs("`scheduler.roster.cpsat.model:no_such_function`")
    assert missing_test_refs("`tests/scheduler/roster/checks/test_validator.py::test_no_such_test`")
    fake = tmp_path / "validate_fake.py"
    fake.write_text('_v("brand_new_rule", s, "m")\nViolation(rule="other_rule", message="m")\n')
    assert set(emitted_rules([fake])) == {"brand_new_rule", "other_rule"}
