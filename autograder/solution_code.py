"""The reference implementations, taken from the solution notebooks (the only place they live).

Benchmarks and reference-data generators call `solution_namespace(unit)` instead of copying code.
"""

from __future__ import annotations

import ast

import nbformat

from autograder.units import solution_notebook


def _defines_only(source: str) -> bool:
    """A cell whose top level only imports and defines (no calls that show, train or test anything)."""
    try:
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return False
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return bool(body) and all(isinstance(n, kinds) for n in body)


def solution_namespace(unit: str) -> dict:
    """Run a solution notebook's setup and solution code cells (not its tests); return the namespace.

    Cells run in notebook order: the locked setup cell (grade_id "setup"), locked helper cells that only
    define things (imports, functions, classes, constants: helpers the solutions call), and every code
    cell marked as a solution. Lines starting with % or ! (IPython magics) are skipped.
    """
    nb = nbformat.read(solution_notebook(unit), as_version=4)
    namespace: dict = {"__name__": f"solution_{unit}"}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        helper = meta.get("locked") and not meta.get("grade") and _defines_only(cell.source)
        if cell.cell_type != "code" or not (meta.get("solution") or meta.get("grade_id") == "setup" or helper):
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        exec(compile(code, f"<{unit}:{meta.get('grade_id')}>", "exec"), namespace)  # noqa: S102
    return namespace
