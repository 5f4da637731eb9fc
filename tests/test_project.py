"""Project-level checks: environment files agree, notebooks are clean, badges point at one repository."""

import ast
import json
import re
import subprocess

import nbformat
import pytest
import yaml

from autograder.course import main as course_main
from autograder.units import REPO, lectures, solution_notebook, units

NOTEBOOKS = [
    *lectures(),
    *(solution_notebook(u) for u in units()),
    *sorted((REPO / "assignments").glob("*/*.ipynb")),
]


def pyproject_requirements() -> set[str]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
        import tomli as tomllib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return set(meta["dependencies"]) | set(meta["optional-dependencies"]["dev"])


def test_environment_yml_mirrors_pyproject():
    """environment.yml lists exactly pyproject's dependencies and dev extra (plus the package itself)."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert set(pip) - {"-e ."} == pyproject_requirements()
    assert "-e ." in pip


def test_python_versions_agree():
    """pyproject, environment.yml and the Makefile all say Python 3.10-3.12."""
    assert 'requires-python = ">=3.10,<3.13"' in (REPO / "pyproject.toml").read_text()
    assert "python>=3.10,<3.13" in (REPO / "environment.yml").read_text()
    assert "(3, 10) <= v <= (3, 12)" in (REPO / "Makefile").read_text()


def test_every_unit_is_complete():
    """Each unit has a lecture, a solution notebook, a release and a mutants module."""
    assert units(), "no unit found in solutions/"
    for unit in units():
        assert (REPO / "lectures" / f"{unit}.ipynb").is_file(), f"lecture of {unit} missing"
        assert (REPO / "assignments" / unit / f"{unit}.ipynb").is_file(), f"release of {unit} missing"
        assert (REPO / "autograder" / "mutants" / f"{unit}.py").is_file(), f"mutants of {unit} missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_committed_clean(path):
    """Notebooks in git carry no outputs or execution counts, and run in the python3 kernel."""
    nb = json.loads(path.read_text())
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run `make clean-notebooks`"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_notebooks_tracked_by_git_have_no_outputs():
    """What git holds is clean too (the working copy may differ)."""
    files = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True
    ).stdout.split()
    for f in files:
        blob = subprocess.run(["git", "show", f":{f}"], cwd=REPO, capture_output=True, text=True).stdout
        nb = json.loads(blob)
        assert not any(c.get("outputs") or c.get("execution_count") for c in nb["cells"]), (
            f"{f} has outputs in git"
        )


def code_without_magics(source: str) -> str:
    return "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


@pytest.mark.parametrize("unit", units())
def test_test_cells_follow_the_rules(unit):
    """Test cells open with a docstring and end with a statement, never an expression (nbgrader scores it)."""
    nb = nbformat.read(solution_notebook(unit), as_version=4)
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if "grade_id" in meta:
            ids.append(meta["grade_id"])
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        gid = meta["grade_id"]
        assert gid.startswith("test_"), f"{gid}: test cell ids start with test_"
        assert meta.get("points", 0) > 0, f"{gid}: a test cell without points"
        tree = ast.parse(code_without_magics(cell.source))
        assert ast.get_docstring(tree), f"{gid}: first line should be a one-line docstring"
        assert not isinstance(tree.body[-1], ast.Expr), f"{gid}: ends with an expression"
    assert len(ids) == len(set(ids)), "duplicated grade ids"


def test_badges_match_repository_url():
    """Badges and Colab install cells use the repository URL from pyproject.toml."""
    assert course_main(["badges", "--check"]) == 0


def test_no_machine_paths_in_notebooks():
    """Notebooks carry no absolute paths of the machine that wrote them."""
    for path in NOTEBOOKS:
        assert not re.search(r"/(home|root|work|Users)/\w", path.read_text()), path
