"""The reference implementations, taken from the solution notebooks (the only place they live).

Benchmarks and reference-data generators call `solution_namespace(unit)` instead of copying code.
"""

from __future__ import annotations

import nbformat

from autograder.units import solution_notebook


def solution_namespace(unit: str) -> dict:
    """Run a solution notebook's setup and solution code cells (not its tests); return the namespace.

    Cells run in notebook order: the locked setup cell (grade_id "setup") and every code cell marked as
    a solution. Lines starting with % or ! (IPython magics) are skipped.
    """
    nb = nbformat.read(solution_notebook(unit), as_version=4)
    namespace: dict = {"__name__": f"solution_{unit}"}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not (meta.get("solution") or meta.get("grade_id") == "setup"):
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        exec(compile(code, f"<{unit}:{meta.get('grade_id')}>", "exec"), namespace)  # noqa: S102
    return namespace
