"""The audit of student code: no false flags on any correct or honestly wrong code, flags on tricks."""

import nbformat
import pytest

from autograder import audit, mutation
from autograder.units import ASSIGNMENTS, solution_notebook, units


def release_of(unit):
    return audit.Release.of(ASSIGNMENTS / unit / f"{unit}.ipynb", solution_notebook(unit))


@pytest.mark.parametrize("unit", units())
def test_solutions_and_mutants_are_not_flagged(unit):
    """The solution, every wrong version and every correct alternative pass the audit unflagged."""
    release = release_of(unit)
    source = nbformat.read(solution_notebook(unit), as_version=4)
    flags = [f"solution: {f}" for f in audit.audit(source, release)]
    for m in mutation.load_mutants(unit)[0]:
        flags += [f"{m.name}: {f}" for f in audit.audit(mutation.with_mutants(source, [m]), release)]
    assert not flags, "\n".join(flags)


TRICKS = {
    "get_ipython().input_transformers_cleanup.append(f)": "get_ipython",
    "%config IPCompleter.greedy=True": "get_ipython",
    "!cat /etc/passwd": "get_ipython",
    "g = globals()": "globals",
    "import os as o": "imports os",
    "from importlib import import_module": "imports importlib",
    "x = __import__('o' + 's')": "__import__",
    "getattr(__builtins__, 'ev' + 'al')('1')": "__builtins__",
    "(lambda: 0).__globals__": "__globals__",
    "torch.allclose = lambda *a, **k: True": "changes torch.allclose",
    "F.conv2d = None": "changes F.conv2d",
    "assert_close = print": "rebinds assert_close",
    "def assert_close(*a, **k):\n    pass": "rebinds assert_close",
    "torch.set_default_dtype(torch.float64)": "default dtype",
    "torch.save(x, 'w.pt')": "writes a file",
    "open('x')": "opens a file",
    "sys.modules": "uses sys",
    "import requests": "imports requests",
    "import scipy": "does not use",
    "setattr(torch, name, None)": "setattr on torch",
}


@pytest.mark.parametrize("code,reason", TRICKS.items(), ids=list(TRICKS))
def test_tricks_are_flagged(code, reason):
    """Each trick in an answer cell is flagged with its reason."""
    unit = units()[0]
    release = release_of(unit)
    nb = nbformat.read(ASSIGNMENTS / unit / f"{unit}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    cell.source += "\n" + code + "\n"
    flags = [str(f) for f in audit.audit(nb, release)]
    assert any(reason in f for f in flags), f"{code!r} was not flagged for {reason!r}: {flags}"


def test_locked_cells_are_not_audited():
    """A locked cell is put back by nbgrader, so what a submission holds there is not the student's code."""
    unit = units()[0]
    release = release_of(unit)
    nb = nbformat.read(ASSIGNMENTS / unit / f"{unit}.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    setup.source += "\nimport os\n"
    assert audit.audit(nb, release) == []
    del setup.metadata["nbgrader"]  # without its metadata it is an ordinary cell, and audited
    assert any("imports os" in str(f) for f in audit.audit(nb, release))
