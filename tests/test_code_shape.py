"""The shape of the code in generator/ (GUIDE.md, issue 16): no function over 60 lines, no
`global` statement (nor the word, so that `grep -rn "global " generator/` finds nothing), and
no module-level name bound twice. Read from the source with ast, so nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

GENERATOR = REPO / "generator"
MAX_LINES = 60  # from `def` to the function's last line, nested functions included

# A problem being fixed in a branch can be listed here ("module.function": "why"): its module's
# test is then an expected failure (not strict) until the fix is merged, when pytest reports
# XPASS and the entry goes. Any other function over the limit, or any other `global`, fails at
# once. Issue 16's six long functions and two `global`s are all gone; nothing is listed.
LONG_BEING_SPLIT: dict[str, str] = {}
GLOBAL_BEING_REMOVED: dict[str, str] = {}
NOTHING_BEING_FIXED: dict[str, str] = {}


class BeingFixed(AssertionError):
    """Only problems that are being fixed: the expected failure."""


def params(being_fixed: dict[str, str]) -> list:
    """One case per module; one with an entry in ``being_fixed`` is an expected failure."""
    out = []
    for path in sorted(p for p in GENERATOR.rglob("*.py") if "__pycache__" not in p.parts):
        keys = [key for key in being_fixed if key.split(".")[0] == path.stem]
        reason = "; ".join(f"{key}: {being_fixed[key]}" for key in keys)
        marks = [pytest.mark.xfail(raises=BeingFixed, strict=False, reason=reason)] if keys else []
        out.append(pytest.param(path, id=path.name, marks=marks))
    return out


def report(problems: dict[str, str], being_fixed: dict[str, str]) -> None:
    """Fail for the problems not being fixed; an expected failure for the rest."""
    new = {key: what for key, what in problems.items() if key not in being_fixed}
    assert not new, "\n".join(new.values())
    if problems:
        raise BeingFixed("\n".join(f"{what} ({being_fixed[key]})" for key, what in problems.items()))


def long_functions(path: Path) -> dict[str, str]:
    out = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_LINES:
                out[f"{path.stem}.{node.name}"] = (
                    f"generator/{path.name}:{node.lineno}: {node.name} is {lines} lines long (at most {MAX_LINES}): "
                    "split it into functions named for what they do"
                )
    return out


@pytest.mark.parametrize("path", params(LONG_BEING_SPLIT))
def test_no_function_is_over_60_lines(path):
    report(long_functions(path), LONG_BEING_SPLIT)


@pytest.mark.parametrize("path", params(GLOBAL_BEING_REMOVED))
def test_no_global_statement(path):
    """No module state changed from inside a function: pass values in, return them."""
    source = path.read_text(encoding="utf-8")
    statements = [n.lineno for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Global | ast.Nonlocal)]
    words = [i for i, line in enumerate(source.splitlines(), 1) if "global " in line]
    found = sorted(set(statements + words))
    where = [f"generator/{path.name}:{n}: a `global` statement, or the word followed by a space" for n in found]
    report({f"{path.stem}.global": "\n".join(where)} if found else {}, GLOBAL_BEING_REMOVED)


def test_no_template_says_global():
    """The same for every other file under generator/ (the templates), as `grep -rn "global "` reads it."""
    found = [
        f"{path.relative_to(REPO)}:{i}"
        for path in sorted(GENERATOR.rglob("*"))
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if "global " in line
    ]
    assert not found


def bound_names(statement: ast.stmt) -> list[str]:
    """The module-level names a top-level statement binds."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign | ast.For):
        targets = [statement.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


@pytest.mark.parametrize("path", params(NOTHING_BEING_FIXED))
def test_no_module_level_name_is_rebound(path):
    """A module-level name keeps the one value it is given: nothing is redefined or changed
    after it is built (an augmented assignment counts as a second binding)."""
    first: dict[str, int] = {}
    problems = {}
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        for name in bound_names(statement):
            if name in first:
                problems[f"{path.stem}.{name} rebound"] = (
                    f"generator/{path.name}:{statement.lineno}: '{name}' is bound again "
                    f"(first at line {first[name]}): give the new value its own name"
                )
            first.setdefault(name, statement.lineno)
    report(problems, NOTHING_BEING_FIXED)


def test_the_checks_find_what_they_look_for(tmp_path):
    """The three checks on a module that breaks each rule."""
    bad = tmp_path / "bad.py"
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    bad.write_text(f"LIMIT = 1\nLIMIT = 2\n\n\ndef long():\n{body}\n\n\ndef setter():\n    global LIMIT\n")
    assert list(long_functions(bad)) == ["bad.long"]
    assert [bound_names(s) for s in ast.parse(bad.read_text()).body][:2] == [["LIMIT"], ["LIMIT"]]
    with pytest.raises(AssertionError) as caught:
        report(long_functions(bad), LONG_BEING_SPLIT)
    assert not isinstance(caught.value, BeingFixed) and "bad.py:5: long is 61 lines long" in str(caught.value)
