"""docs/contracts.md lists every pydantic contract and every summary.json key (issue 21,
acceptance 1).

- Contracts: every class of the product packages that derives from pydantic ``BaseModel``,
  directly or through other classes of the product (private bases such as ``_Section`` are
  followed but not listed), must be named in the document in backticks (`` `RosterProblem` ``).
  The classes are found by walking the package folders with ``ast``, without importing them,
  so modules that move between subpackages need no list here.
- summary.json: every field path of ``scenarios.summary_model.RunSummary``, through the nested
  section models (``solver.objective_cny``, ``service.worst_day.date``; ``*`` stands for any key
  of a dict of sections, ``inputs.*.sha256``), must stand in backticks in the document, and the
  key tables of its "summary.json keys" section may name no path the model lacks.
"""

from __future__ import annotations

import ast
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from scenarios.summary_model import RunSummary

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("forecast", "scheduler", "scenarios", "dashboard")
DOC = ROOT / "docs" / "contracts.md"
PYDANTIC_ROOTS = frozenset({"BaseModel", "RootModel"})
#: Heading of the part of the document whose tables list summary.json's keys.
KEYS_HEADING = "### summary.json keys"


def _base_name(node: ast.expr) -> str | None:
    """``BaseModel`` for ``BaseModel``, ``pydantic.BaseModel`` and ``Generic[...]``-style bases."""
    if isinstance(node, ast.Subscript):
        return _base_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def model_classes() -> dict[str, str]:
    """Public pydantic model classes of the product packages: class name -> ``file:line``.

    A class is a model when one of its bases is ``BaseModel`` (or ``RootModel``) or, by name,
    another model class of the product; names starting with ``_`` are followed, not listed."""
    defined: dict[str, list[tuple[str, set[str]]]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = {name for b in node.bases if (name := _base_name(b))}
                    defined.setdefault(node.name, []).append((f"{where}:{node.lineno}", bases))
    models = set(PYDANTIC_ROOTS)
    grown = True
    while grown:
        new = {name for name, defs in defined.items()
               if name not in models and any(bases & models for _, bases in defs)}  # fmt: skip
        models |= new
        grown = bool(new)
    return {
        name: next(where for where, bases in defined[name] if bases & models)
        for name in sorted(models - PYDANTIC_ROOTS)
        if not name.startswith("_")
    }


def _nested_models(annotation: object) -> Iterator[tuple[type[BaseModel], bool]]:
    """Models inside a field's annotation, each with whether it sits under a dict or list key
    (Optional, Annotated, unions, dicts, lists and tuples are looked through)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False
        return
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        yield from _nested_models(args[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in args:
            yield from _nested_models(arg)
    elif origin in (dict, list, tuple, set, frozenset):
        values = args[1:2] if origin is dict else args
        for arg in values:
            for model, _keyed in _nested_models(arg):
                yield model, True


def field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of ``model`` as a dotted path, depth first, nested sections included
    (``*`` for the key of a dict or list of sections)."""
    paths = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        paths.append(path)
        for nested, keyed in _nested_models(info.annotation):
            paths += field_paths(nested, f"{path}.*." if keyed else f"{path}.")
    return paths


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _summary_key_rows(doc: str) -> list[str]:
    """First-column keys (in backticks) of the table rows under :data:`KEYS_HEADING`, up to the
    next heading of level 2 or 3."""
    start = doc.index(KEYS_HEADING) + len(KEYS_HEADING)
    stop = re.search(r"^#{2,3} ", doc[start:], flags=re.MULTILINE)
    part = doc[start : start + stop.start()] if stop else doc[start:]
    return re.findall(r"^\| `([^`]+)` \|", part, flags=re.MULTILINE)


def test_the_collectors_find_known_contracts_and_keys() -> None:
    """Guards the two checks below against collecting nothing."""
    classes = model_classes()
    assert {"RunSummary", "ServiceParams", "RosterProblem", "Scenario", "Violation",
            "ValidationReport"} <= set(classes)  # fmt: skip
    assert not {"_Section", "_Model", "BaseModel"} & set(classes)
    paths = field_paths(RunSummary)
    assert {"schema_version", "solver.objective_cny", "service.worst_day.date",
            "inputs.*.sha256", "validation.by_rule"} <= set(paths)  # fmt: skip
    assert len(paths) == len(set(paths))


def test_every_pydantic_contract_is_in_contracts_md() -> None:
    doc = _doc()
    missing = {name: where for name, where in model_classes().items() if f"`{name}`" not in doc}
    assert missing == {}, f"docs/contracts.md does not name these pydantic models: {missing}"


def test_every_summary_key_is_in_contracts_md() -> None:
    doc = _doc()
    missing = [path for path in field_paths(RunSummary) if f"`{path}`" not in doc]
    assert missing == [], f"docs/contracts.md does not list these summary.json keys: {missing}"


def test_summary_key_tables_name_only_real_keys() -> None:
    rows = _summary_key_rows(_doc())
    stale = sorted(set(rows) - set(field_paths(RunSummary)))
    assert rows, f"no key tables under {KEYS_HEADING!r} in docs/contracts.md"
    assert stale == [], f"docs/contracts.md lists keys RunSummary does not have: {stale}"
